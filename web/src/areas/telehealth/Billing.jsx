// The hospital's billing desk: a patient's invoices at my hospital (the API lists invoices per
// patient, not per hospital: web/API-NEEDS.md, item 16), a quote for one of their
// appointments in the patient's currency (the server converts at its dated rate), issuing it,
// recording a payment at the counter and a refund. Amounts are typed and sent as decimal text
// in the invoice's currency; the server parses them and names the field it refuses.
import { useState } from 'preact/hooks';
import { useT, fmtDateTime, fmtMoney, fmtNumber } from '../../i18n/index.js';
import { Page, Field, Notice, ErrorNotice, Loading, useLoad, useAction } from '../../ui/ui.jsx';
import { myHospitals, patientInvoices, patientAppointments, quote, issue, payments, pay, refund, toMinor, fieldError } from './desk.js';
import '../../styles/staff.css';

const INVOICE = ['draft', 'issued', 'balanced', 'cancelled'];
const METHODS = ['cash', 'bank_transfer'];
const WHEN = { dateStyle: 'medium', timeStyle: 'short' };
const money = (m) => fmtMoney(toMinor(m));

export default function Billing() {
  const t = useT();
  const net = useLoad(myHospitals);
  const mine = net.data?.mine[0];
  const [typed, setTyped] = useState('');
  const [pid, setPid] = useState(null);
  const bills = useLoad(() => (pid ? patientInvoices(pid) : Promise.resolve(null)), [pid]);
  const appts = useLoad(() => (pid ? patientAppointments(pid) : Promise.resolve(null)), [pid]);
  const [q, setQ] = useState({ appointment: '', code: 'consultation', currency: 'VND' });
  const [open, setOpen] = useState(null);
  const { busy, error, setError, done, setDone, run } = useAction(() => bills.reload());
  const ours = (appts.data?.items || []).filter((a) => a.hospital_id === mine?.id && a.status !== 'cancelled');
  const makeQuote = (e) => {
    e.preventDefault();
    const body = { patient_id: pid, hospital_id: mine.id, charges: [{ code: q.code.trim() }], currency: q.currency.trim().toUpperCase() };
    const appt = q.appointment || ours[0]?.id;
    if (appt) body.appointment_id = Number(appt);
    run(() => quote(body), (v) => t('telehealth.bill.quoted', { id: fmtNumber(v.id, { useGrouping: false }) }));
  };
  const items = (bills.data?.items || []).filter((v) => v.hospital_id === mine?.id);

  return (
    <Page title={t('telehealth.bill.title')} wide>
      <ErrorNotice error={net.error} />
      {net.loading && <Loading />}
      {net.data && !mine && <Notice>{t('telehealth.ref.noHospital')}</Notice>}
      {mine && (
        <>
          <p data-testid="my-hospital">{t('telehealth.bill.mine', { hospital: mine.name, currency: mine.currency })}</p>
          <form class="row" onSubmit={(e) => { e.preventDefault(); setPid(Number(typed) || null); setOpen(null); setError(null); setDone(null); }}>
            <Field id="bill-patient" label={t('telehealth.ref.patient')} hint={t('telehealth.ref.patientHint')}>
              {(aria) => <input {...aria} inputMode="numeric" value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />}
            </Field>
            <button class="btn btn-secondary" type="submit">{t('telehealth.bill.show')}</button>
          </form>
          <ErrorNotice error={bills.error || appts.error} />
          {pid && bills.data && (
            <>
              <ErrorNotice error={error} />
              {done && <Notice kind="ok"><p data-testid="bill-done">{done()}</p></Notice>}
              <h2>{t('telehealth.bill.invoices', { id: fmtNumber(pid, { useGrouping: false }) })}</h2>
              {items.length === 0 && <p class="muted">{t('telehealth.bill.none')}</p>}
              <ul class="plain" data-testid="bill-invoices">
                {items.map((v) => (
                  <li class="card" key={v.id} data-invoice-id={v.id} data-status={v.status}>
                    <p><strong>{t('telehealth.bill.invoiceN', { id: fmtNumber(v.id, { useGrouping: false }) })}</strong> · <span data-testid="invoice-status">{INVOICE.includes(v.status) ? t(`telehealth.bill.status.${v.status}`) : v.status}</span></p>
                    <p data-testid="invoice-amounts">{t('telehealth.bill.amounts', { total: money(v.total), paid: money(v.paid), due: money(v.due) })}</p>
                    <p class="muted">
                      {t('telehealth.bill.source', { amount: money(v.source_total) })}
                      {v.rate && ` · ${t('telehealth.bill.rate', { from: v.rate.from, to: v.rate.to, rate: v.rate.rate, date: v.rate.as_of, source: v.rate.source })}`}
                    </p>
                    <ul>{v.lines.map((l, i) => <li key={i}>{l.description || l.code} × {fmtNumber(l.quantity)}: {money(l.amount)} → {money(l.converted)}</li>)}</ul>
                    <div class="row">
                      {v.status === 'draft' && <button type="button" class="btn" disabled={busy} onClick={() => run(() => issue(v.id), () => t('telehealth.bill.issued', { id: fmtNumber(v.id, { useGrouping: false }) }))}>{t('telehealth.bill.issue')}</button>}
                      {v.status !== 'draft' && v.status !== 'cancelled' && (
                        <button type="button" class="btn btn-secondary" aria-expanded={open === v.id ? 'true' : 'false'} onClick={() => { setOpen(open === v.id ? null : v.id); setError(null); }}>{t('telehealth.bill.counter')}</button>
                      )}
                    </div>
                    {open === v.id && <Counter invoice={v} busy={busy} error={error} run={run} />}
                  </li>
                ))}
              </ul>

              <form class="card" onSubmit={makeQuote} noValidate data-testid="quote-form">
                <h2>{t('telehealth.bill.quote')}</h2>
                <Field id="bill-appt" label={t('telehealth.bill.appointment')}>
                  {(aria) => (
                    <select {...aria} value={q.appointment || ours[0]?.id || ''} onChange={(e) => setQ({ ...q, appointment: e.currentTarget.value })}>
                      {ours.map((a) => <option key={a.id} value={a.id}>{t('telehealth.bill.apptOption', { id: fmtNumber(a.id, { useGrouping: false }), when: fmtDateTime(a.start, WHEN) })}</option>)}
                      <option value="">{t('telehealth.bill.noAppointment')}</option>
                    </select>
                  )}
                </Field>
                <Field id="bill-code" label={t('telehealth.bill.code')} hint={t('telehealth.bill.codeHint')} error={fieldError(error, 'charges[0].code', 'code')}>
                  {(aria) => <input {...aria} class="mono" value={q.code} onInput={(e) => setQ({ ...q, code: e.currentTarget.value })} />}
                </Field>
                <Field id="bill-currency" label={t('telehealth.bill.currency')} hint={t('telehealth.bill.currencyHint')} error={fieldError(error, 'currency')}>
                  {(aria) => <input {...aria} class="mono" value={q.currency} maxLength={3} onInput={(e) => setQ({ ...q, currency: e.currentTarget.value })} />}
                </Field>
                <button class="btn" type="submit" disabled={busy}>{t('telehealth.bill.makeQuote')}</button>
              </form>
            </>
          )}
        </>
      )}
    </Page>
  );
}

/** The counter of one invoice: its payments and refunds, and a form for either. */
function Counter({ invoice, busy, error, run }) {
  const t = useT();
  const list = useLoad(() => payments(invoice.id), [invoice.id, invoice.paid.amount]);
  const [kind, setKind] = useState('payment');
  const [method, setMethod] = useState('cash');
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('');
  const submit = async (e) => {
    e.preventDefault();
    const body = { method, amount: { currency: invoice.total.currency, amount: amount.trim() }, ...(reference.trim() ? { reference: reference.trim() } : {}) };
    const fn = kind === 'refund' ? () => refund(invoice.id, body) : () => pay(invoice.id, body);
    const r = await run(fn, (v) => t(kind === 'refund' ? 'telehealth.bill.refunded' : 'telehealth.bill.paidNow', { amount: money(body.amount), due: money(v.due) }));
    if (r) { setAmount(''); setReference(''); list.reload(); }
  };
  return (
    <div data-testid="counter">
      <ErrorNotice error={list.error} />
      {list.data && list.data.items.length > 0 && (
        <table data-testid="payments">
          <caption>{t('telehealth.bill.payments')}</caption>
          <thead><tr><th scope="col">{t('telehealth.record.readAt')}</th><th scope="col">{t('telehealth.bill.method')}</th><th scope="col">{t('telehealth.bill.amount')}</th></tr></thead>
          <tbody>
            {list.data.items.map((p) => (
              <tr key={p.id} data-refund={p.refund ? 'true' : 'false'}>
                <td>{fmtDateTime(p.at, WHEN)}</td>
                <td>{METHODS.includes(p.method) ? t(`telehealth.bill.m.${p.method}`) : p.method}{p.refund && ` · ${t('telehealth.bill.refund')}`}</td>
                <td>{money(p.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={submit} noValidate data-testid="pay-form">
        <fieldset class="inline-choice">
          <legend>{t('telehealth.bill.record')}</legend>
          <label class="check"><input type="radio" name={`kind-${invoice.id}`} checked={kind === 'payment'} onChange={() => setKind('payment')} /> {t('telehealth.bill.payment')}</label>
          <label class="check"><input type="radio" name={`kind-${invoice.id}`} checked={kind === 'refund'} onChange={() => setKind('refund')} /> {t('telehealth.bill.refund')}</label>
        </fieldset>
        <Field id={`pay-method-${invoice.id}`} label={t('telehealth.bill.method')} error={fieldError(error, 'method')}>
          {(aria) => <select {...aria} value={method} onChange={(e) => setMethod(e.currentTarget.value)}>{METHODS.map((m) => <option key={m} value={m}>{t(`telehealth.bill.m.${m}`)}</option>)}</select>}
        </Field>
        <Field id={`pay-amount-${invoice.id}`} label={t('telehealth.bill.amountIn', { currency: invoice.total.currency })} hint={t('telehealth.bill.amountHint', { due: invoice.due.amount })} error={fieldError(error, 'amount.amount', 'amount')}>
          {(aria) => <input {...aria} inputMode="decimal" class="mono" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />}
        </Field>
        <Field id={`pay-ref-${invoice.id}`} label={t('telehealth.bill.reference')} hint={t('telehealth.bill.referenceHint')} error={fieldError(error, 'reference')}>
          {(aria) => <input {...aria} value={reference} maxLength={300} onInput={(e) => setReference(e.currentTarget.value)} />}
        </Field>
        <button class="btn" type="submit" disabled={busy}>{kind === 'refund' ? t('telehealth.bill.doRefund') : t('telehealth.bill.doPay')}</button>
      </form>
    </div>
  );
}
