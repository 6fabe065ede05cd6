// My consultations: appointments in my time zone (cancel one before it starts), and my
// invoices with what is paid and due, each paid one with its receipt (a printable page in my
// language, downloaded: it needs my session, which a plain link would not carry).
import { useState } from 'preact/hooks';
import { useT, fmtDateTime } from '../../i18n/index.js';
import { Page, Notice, ErrorNotice, Loading, useLoad } from '../../ui/ui.jsx';
import { myAppointments, myInvoices, cancel, receipt, fmtAmount } from './data.js';
import { DocumentsOnDemand } from '../documents/Documents.jsx';

const STATUSES = ['booked', 'cancelled', 'fulfilled', 'noshow'];

export default function Bookings() {
  const t = useT();
  const appts = useLoad(myAppointments);
  const invoices = useLoad(myInvoices);
  const [busyId, setBusyId] = useState(null);
  const [actionError, setActionError] = useState(null);

  const drop = async (a) => {
    setBusyId(a.id); setActionError(null);
    try { await cancel(a.id, t('telehealth.bookings.cancelReason')); appts.reload(); } catch (e) { setActionError(e); } finally { setBusyId(null); }
  };
  const download = async (v) => {
    setActionError(null);
    try {
      const url = URL.createObjectURL(await receipt(v.id));
      const a = document.createElement('a');
      a.href = url; a.download = `receipt-${v.id}.html`;
      document.body.appendChild(a); a.click(); a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (e) { setActionError(e); }
  };

  const items = (appts.data?.items || []).filter((a) => a.status !== 'cancelled' || a.cancel_reason !== 'rescheduled').slice().reverse();
  const bills = (invoices.data?.items || []).filter((v) => v.status !== 'draft');
  const status = (s) => (STATUSES.includes(s) ? t(`telehealth.status.${s}`) : s);
  return (
    <Page title={t('telehealth.bookings.title')}>
      <ErrorNotice error={appts.error || invoices.error || actionError} />
      {appts.loading && !appts.data && <Loading />}
      {appts.data && items.length === 0 && <Notice>{t('telehealth.bookings.none')}</Notice>}
      {items.length > 0 && (
        <table data-testid="bookings">
          <caption class="visually-hidden">{t('telehealth.bookings.title')}</caption>
          <thead><tr><th scope="col">{t('telehealth.bookings.when')}</th><th scope="col">{t('telehealth.bookings.status')}</th><th scope="col"><span class="visually-hidden">{t('telehealth.bookings.cancel')}</span></th><th scope="col">{t('documents.title')}</th></tr></thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id} data-status={a.status}>
                <td>{fmtDateTime(a.start, { dateStyle: 'medium', timeStyle: 'short' })}</td>
                <td>{status(a.status)}</td>
                <td>{a.status === 'booked' && Date.parse(a.start) > Date.now() && (
                  <button type="button" class="btn btn-quiet" disabled={busyId === a.id} onClick={() => drop(a)}>{t('telehealth.bookings.cancel')}</button>
                )}</td>
                <td>{a.consultation_id != null && <DocumentsOnDemand subject="consultation" id={a.consultation_id} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('telehealth.bookings.invoices')}</h2>
      {invoices.data && bills.length === 0 && <p class="muted">{t('telehealth.bookings.noInvoices')}</p>}
      <ul class="plain" data-testid="invoices">
        {bills.map((v) => (
          <li class="card" key={v.id}>
            <p><strong>{t('telehealth.bookings.total', { amount: fmtAmount(v.total) })}</strong> · {t(`telehealth.invoice.${v.status}`)}</p>
            <p>{t('telehealth.bookings.paid', { amount: fmtAmount(v.paid), due: fmtAmount(v.due) })}</p>
            {v.paid.amount !== fmtZero(v.paid) && (
              <button type="button" class="btn btn-quiet" onClick={() => download(v)}>{t('telehealth.bookings.receipt')}</button>
            )}
          </li>
        ))}
      </ul>
    </Page>
  );
}

// "0" or "0.00": nothing paid yet (the receipt exists once something is).
const fmtZero = (m) => (m.amount.includes('.') ? '0.' + '0'.repeat(m.amount.split('.')[1].length) : '0');
