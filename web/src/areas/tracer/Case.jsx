// One case: who, the dates and the infectious window, and its contacts to depth 3 — either as
// recorded at confirmation (GET /cases/{id}/contacts?depth=3, with co-travellers) or traced
// now over the infectious window (GET /people/{id}/contacts?depth=3) — as table, graph, CSV.
import { useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { Link } from '../../app/router.js';
import { useT, fmtDateTime, fmtNumber } from '../../i18n/index.js';
import { Page, ErrorNotice, Loading, useLoad } from '../../ui/ui.jsx';
import { ContactsView } from './ContactsView.jsx';
import { allContacts, normalise } from './data.js';
import '../../styles/staff.css';

const SHORT = { dateStyle: 'medium', timeStyle: 'short' };

export default function Case({ params }) {
  const t = useT();
  const id = params.id;
  const [source, setSource] = useState('recorded');
  const kase = useLoad(() => api(`/cases/${id}`), [id]);
  const c = kase.data;
  const person = useLoad(() => (c ? api(`/people/${c.person_id}`) : Promise.resolve(null)), [c?.person_id]);
  const contacts = useLoad(async () => {
    if (!c) return null;
    if (source === 'recorded') return allContacts(`/cases/${id}/contacts`, { depth: 3 });
    const w = c.infectious_window || {};
    return allContacts(`/people/${c.person_id}/contacts`, { depth: 3, from: w.start, to: w.end });
  }, [c?.id, source]);

  const rows = contacts.data ? normalise(contacts.data.items) : null;
  const name = person.data?.full_name;
  const title = c ? t('tracer.case.title', { id: fmtNumber(c.id, { useGrouping: false }), name: name || t('tracer.person', { id: c.person_id }) }) : t('tracer.case.titleShort');
  const w = c?.infectious_window;
  return (
    <Page title={title} wide>
      <p><Link href="/cases">{t('tracer.case.back')}</Link></p>
      <ErrorNotice error={kase.error} />
      {kase.loading && !c && <Loading />}
      {c && (
        <dl class="facts card">
          <div><dt>{t('tracer.cases.confirmed')}</dt><dd>{fmtDateTime(c.confirmed_at, SHORT)}</dd></div>
          <div><dt>{t('tracer.confirm.onset_at')}</dt><dd>{c.onset_at ? fmtDateTime(c.onset_at, SHORT) : t('tracer.cases.noOnset')}</dd></div>
          <div><dt>{t('tracer.confirm.sample_at')}</dt><dd>{c.sample_at ? fmtDateTime(c.sample_at, SHORT) : '—'}</dd></div>
          <div><dt>{t('tracer.confirm.isolated_at')}</dt><dd>{c.isolated_at ? fmtDateTime(c.isolated_at, SHORT) : t('tracer.case.notIsolated')}</dd></div>
          {w && <div><dt>{t('tracer.case.window')}</dt><dd>{fmtDateTime(w.start, SHORT)} – {fmtDateTime(w.end, SHORT)}</dd></div>}
          <div><dt>{t('tracer.cases.status')}</dt><dd>{c.released_at ? t('tracer.cases.released', { when: fmtDateTime(c.released_at, SHORT) }) : t('tracer.cases.active')}</dd></div>
        </dl>
      )}
      {c && (
        <section aria-labelledby="contacts-h">
          <h2 id="contacts-h">{t('tracer.case.contacts')}</h2>
          <fieldset class="inline-choice">
            <legend>{t('tracer.case.source')}</legend>
            {['recorded', 'traced'].map((s) => (
              <label class="check" key={s}>
                <input type="radio" name="source" value={s} checked={source === s} onChange={() => setSource(s)} /> {t(`tracer.case.source.${s}`)}
              </label>
            ))}
          </fieldset>
          <ErrorNotice error={contacts.error} />
          {contacts.loading && <Loading />}
          {rows && !contacts.loading && (
            <ContactsView rows={rows} rootId={c.person_id} rootName={name} coTravellers={source === 'recorded' ? contacts.data.co_travellers || [] : null}
              fileName={`case-${c.id}-contacts.csv`} />
          )}
        </section>
      )}
    </Page>
  );
}
