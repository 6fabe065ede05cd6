// Trace from any person (a contact of a case, say): who shared a place with them over the
// last days, to depth 3, time-respecting (GET /people/{id}/contacts?depth=3&from&to), and who
// shared a trip (GET /people/{id}/co-travellers).
import { useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { useT, fmtNumber } from '../../i18n/index.js';
import { Page, Field, ErrorNotice, Loading, useLoad } from '../../ui/ui.jsx';
import { ContactsView } from './ContactsView.jsx';
import { allContacts, normalise, rememberName } from './data.js';
import '../../styles/staff.css';

const DAYS = [2, 7, 14, 28];

export default function PersonContacts({ params }) {
  const t = useT();
  const id = Number(params.id);
  const [days, setDays] = useState(14);
  const person = useLoad(() => api(`/people/${id}`), [id]);
  if (person.data) rememberName(id, person.data.full_name);
  const data = useLoad(async () => {
    const to = new Date();
    const from = new Date(to.getTime() - days * 86400000);
    const [contacts, travel] = await Promise.all([
      allContacts(`/people/${id}/contacts`, { depth: 3, from: from.toISOString(), to: to.toISOString() }),
      api(`/people/${id}/co-travellers`, { query: { from: from.toISOString(), to: to.toISOString() } }).catch(() => ({ items: [] })),
    ]);
    return { rows: normalise(contacts.items), travel: travel.items || [] };
  }, [id, days]);
  const name = person.data?.full_name;
  return (
    <Page title={t('tracer.personPage.title', { name: name || t('tracer.person', { id }) })} wide>
      <ErrorNotice error={person.error} />
      <Field id="days" label={t('tracer.personPage.days')}>
        <select id="days" value={days} onChange={(e) => setDays(Number(e.currentTarget.value))}>
          {DAYS.map((d) => <option key={d} value={d}>{t('tracer.personPage.dayN', { n: fmtNumber(d) })}</option>)}
        </select>
      </Field>
      <ErrorNotice error={data.error} />
      {data.loading && <Loading />}
      {data.data && !data.loading && (
        <ContactsView rows={data.data.rows} rootId={id} rootName={name} fileName={`person-${id}-contacts.csv`}
          coTravellers={data.data.travel.map((c) => ({ ...c, trip_id: c.trip?.id }))} />
      )}
    </Page>
  );
}
