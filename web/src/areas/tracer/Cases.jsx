// Cases in my org unit, newest first: who, when confirmed, onset, how many contacts, released
// or not; each opens the case page. "Confirm a case" starts a new one.
import { useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { Link } from '../../app/router.js';
import { useT, fmtDateTime, fmtNumber } from '../../i18n/index.js';
import { Page, ErrorNotice, Loading, Notice, useLoad, Pager } from '../../ui/ui.jsx';
import { usePeopleNames } from './data.js';
import '../../styles/staff.css';

const PAGE = 50;
const SHORT = { dateStyle: 'medium', timeStyle: 'short' };

export default function Cases() {
  const t = useT();
  const [offset, setOffset] = useState(0);
  const { data, error, loading } = useLoad(() => api('/cases', { query: { limit: PAGE, offset } }), [offset]);
  const items = data?.items || [];
  const names = usePeopleNames(items.map((c) => c.person_id));
  return (
    <Page title={t('tracer.cases.title')} wide>
      <p class="row"><Link class="btn" href="/cases/new">{t('tracer.cases.confirm')}</Link></p>
      <ErrorNotice error={error} />
      {loading && !data && <Loading />}
      {data && items.length === 0 && <Notice>{t('tracer.cases.none')}</Notice>}
      {items.length > 0 && (
        <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="cases-caption">
          <table data-testid="cases">
            <caption id="cases-caption" class="visually-hidden">{t('tracer.cases.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('tracer.cases.case')}</th><th scope="col">{t('tracer.cases.person')}</th>
                <th scope="col">{t('tracer.cases.confirmed')}</th><th scope="col">{t('tracer.cases.onset')}</th>
                <th scope="col">{t('tracer.cases.contacts')}</th><th scope="col">{t('tracer.cases.status')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id} data-case-id={c.id}>
                  <td><Link href={`/cases/${c.id}`}>{t('tracer.cases.caseN', { id: fmtNumber(c.id, { useGrouping: false }) })}</Link></td>
                  <td>{names.get(c.person_id) || t('tracer.person', { id: c.person_id })}</td>
                  <td>{fmtDateTime(c.confirmed_at, SHORT)}</td>
                  <td>{c.onset_at ? fmtDateTime(c.onset_at, SHORT) : t('tracer.cases.noOnset')}</td>
                  <td>{fmtNumber(c.contact_count ?? 0)}</td>
                  <td>{c.released_at ? t('tracer.cases.released', { when: fmtDateTime(c.released_at, SHORT) }) : t('tracer.cases.active')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager offset={offset} page={PAGE} more={items.length === PAGE} onOffset={setOffset} />
    </Page>
  );
}
