// Book a nucleic-acid (PCR) or antigen test: a test site, a local day, the site's slots of that
// day with their times in my own time zone and the places still free, then one place. The
// server decides a race for the last place: the loser gets 409 naming slot_id, is told so in
// words, and the day's slots are read again.
import { useState } from 'preact/hooks';
import { useT, fmtDateTime, fmtTime, fmtNumber, dayKey, timeZone } from '../../i18n/index.js';
import { Link } from '../../app/router.js';
import { Page, Field, Notice, ErrorNotice, Loading, useLoad } from '../../ui/ui.jsx';
import { listSites, listSlots, bookTest, slotGone } from './data.js';

const WHEN = { dateStyle: 'full', timeStyle: 'short' };

export default function BookTest() {
  const t = useT();
  const sites = useLoad(() => listSites());
  const [siteId, setSiteId] = useState('');
  const [day, setDay] = useState(dayKey());
  const [kind, setKind] = useState('');
  const [chosen, setChosen] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [gone, setGone] = useState(false);
  const [booked, setBooked] = useState(null);

  const items = sites.data?.items || [];
  const site = items.find((s) => String(s.id) === String(siteId)) || items[0] || null;
  const kinds = site?.kinds || [];
  const pickedKind = kinds.includes(kind) ? kind : kinds[0] || '';
  const slots = useLoad(() => (site && day ? listSlots(site.id, day) : Promise.resolve(null)), [site?.id, day]);

  const choose = (s) => { setChosen(s); setGone(false); setBooked(null); setError(null); };
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true); setError(null); setGone(false);
    try {
      setBooked(await bookTest(chosen.id, pickedKind));
      setChosen(null);
      slots.reload();
    } catch (err) {
      if (slotGone(err)) { setGone(true); setChosen(null); slots.reload(); } else setError(err);
    } finally {
      setBusy(false);
    }
  };

  const list = slots.data?.items || [];
  return (
    <Page title={t('testing.book.title')}>
      <p>{t('testing.book.intro')}</p>
      <p class="muted" data-testid="zone">{t('testing.book.zone', { zone: timeZone.get() })}</p>
      <ErrorNotice error={sites.error || slots.error} />
      {sites.loading && !sites.data && <Loading />}
      {sites.data && items.length === 0 && <Notice>{t('testing.book.noSites')}</Notice>}
      {booked && (
        <Notice kind="ok">
          <p data-testid="booked">{t('testing.book.booked', { kind: t(`testing.kind.${booked.kind}`), when: fmtDateTime(booked.starts_at, WHEN) })}</p>
          <p><Link href="/me/tests/bookings">{t('testing.book.seeBookings')}</Link></p>
        </Notice>
      )}
      {gone && (
        <Notice kind="error">
          <p data-testid="slot-gone"><strong>{t('testing.book.goneTitle')}</strong></p>
          <p>{t('testing.book.gone')}</p>
        </Notice>
      )}
      {items.length > 0 && (
        <div class="card">
          <Field id="tb-site" label={t('testing.book.site')}>
            {(aria) => (
              <select {...aria} value={site?.id ?? ''} onChange={(e) => { setSiteId(e.currentTarget.value); choose(null); }}>
                {items.map((s) => <option key={s.id} value={s.id}>{s.address ? `${s.name} — ${s.address}` : s.name}</option>)}
              </select>
            )}
          </Field>
          <fieldset>
            <legend>{t('testing.book.kind')}</legend>
            {kinds.map((k) => (
              <label class="check" key={k}>
                <input type="radio" name="tb-kind" value={k} checked={pickedKind === k} onChange={() => setKind(k)} />
                {t(`testing.kind.${k}`)}
              </label>
            ))}
          </fieldset>
          <Field id="tb-day" label={t('testing.book.day')}>
            {(aria) => <input {...aria} type="date" min={dayKey()} value={day} onChange={(e) => { setDay(e.currentTarget.value); choose(null); }} />}
          </Field>
        </div>
      )}
      {site && slots.loading && !slots.data && <Loading />}
      {slots.data && list.length === 0 && <Notice>{t('testing.book.noSlots')}</Notice>}
      {list.length > 0 && (
        <section aria-labelledby="tb-slots-h">
          <h2 id="tb-slots-h">{t('testing.book.slots')}</h2>
          <ul class="plain slot-list" data-testid="slots">
            {list.map((s) => (
              <li key={s.id} data-slot-id={s.id} data-free={s.free}>
                <button type="button" class={`btn ${chosen?.id === s.id ? '' : 'btn-quiet'}`} disabled={s.free === 0}
                  aria-pressed={chosen?.id === s.id ? 'true' : 'false'} onClick={() => choose(s)}>
                  {`${fmtTime(s.starts_at)}–${fmtTime(s.ends_at)}`}
                </button>
                <span class="muted"> {s.free === 0 ? t('testing.book.full') : t('testing.book.free', { n: fmtNumber(s.free) })}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {chosen && (
        <form class="card" onSubmit={submit} noValidate data-testid="confirm">
          <p>{t('testing.book.chosen', { kind: t(`testing.kind.${pickedKind}`), when: fmtDateTime(chosen.starts_at, WHEN), site: site?.name || '' })}</p>
          <ErrorNotice error={error} />
          <button class="btn btn-block" type="submit" disabled={busy}>{t('testing.book.submit')}</button>
        </form>
      )}
    </Page>
  );
}
