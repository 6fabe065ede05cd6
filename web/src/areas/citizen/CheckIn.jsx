// Check in by scanning the venue's poster (camera) or typing the code printed under it;
// check out of the stay this phone is in.
import { useState } from 'preact/hooks';
import { useT, fmtDateTime, fmtTime } from '../../i18n/index.js';
import { useStore } from '../../app/store.js';
import { Page, Field, Notice, ErrorNotice } from '../../ui/ui.jsx';
import { QrScanner } from '../../ui/QrScanner.jsx';
import { stay, isOpen, checkIn, checkOut, normaliseVenueCode, looksLikeVenueCode } from './data.js';

export default function CheckIn() {
  const t = useT();
  const current = useStore(stay);
  const [typed, setTyped] = useState('');
  const [fieldError, setFieldError] = useState(null);
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null); // 'in' | 'out'
  const [busy, setBusy] = useState(false);

  const go = async (text) => {
    setBusy(true); setError(null); setFieldError(null); setDone(null);
    try {
      await checkIn(normaliseVenueCode(text));
      setDone('in');
      setTyped('');
    } catch (e) {
      if (e.field === 'qr') setFieldError(t('citizen.checkIn.badCode'));
      else setError(e);
    } finally {
      setBusy(false);
    }
  };

  const submitTyped = (e) => {
    e.preventDefault();
    if (!looksLikeVenueCode(typed)) return setFieldError(t('citizen.checkIn.badCode'));
    go(typed);
  };

  const out = async () => {
    setBusy(true); setError(null);
    try {
      await checkOut(current.id);
      setDone('out');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const open = isOpen(current);
  return (
    <Page title={t('citizen.checkIn.title')}>
      {done === 'in' && current && (
        <Notice kind="ok"><p data-testid="checked-in">{t('citizen.checkIn.done', { venue: t('citizen.venue', { id: current.venue_id }), time: fmtTime(current.time_in) })}</p></Notice>
      )}
      {done === 'out' && <Notice kind="ok"><p>{t('citizen.checkIn.outDone')}</p></Notice>}
      <ErrorNotice error={error} />

      {open && (
        <div class="card stack">
          <h2>{t('citizen.checkIn.currentTitle')}</h2>
          <p>{t('citizen.checkIn.current', { venue: t('citizen.venue', { id: current.venue_id }), since: fmtDateTime(current.time_in) })}</p>
          <p class="muted">{t('citizen.checkIn.autoOut', { time: fmtDateTime(current.time_out) })}</p>
          <button type="button" class="btn btn-block btn-secondary" onClick={out} disabled={busy}>{t('citizen.checkIn.checkOut')}</button>
        </div>
      )}

      <div class="card stack">
        <h2>{t('citizen.checkIn.scanTitle')}</h2>
        <p>{t('citizen.checkIn.scanHelp')}</p>
        <QrScanner startLabel={t('citizen.checkIn.scan')} accept={(s) => s.startsWith('MKV1:')} onResult={go} />
      </div>

      <form class="card" onSubmit={submitTyped} noValidate>
        <h2>{t('citizen.checkIn.typeTitle')}</h2>
        <Field id="venue-code" label={t('citizen.checkIn.codeLabel')} hint={t('citizen.checkIn.codeHint')} error={fieldError}>
          {(aria) => (
            <input {...aria} type="text" autocomplete="off" autocapitalize="characters" spellcheck={false}
              value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
          )}
        </Field>
        <button type="submit" class="btn btn-block" disabled={busy || !typed}>{t('citizen.checkIn.submit')}</button>
      </form>
    </Page>
  );
}
