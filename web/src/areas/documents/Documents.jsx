// The documents attached to one record (a directive, a case: docs/documents.md): the list, a
// download whose SHA-256 the browser checks against the one the server stored, and, for those
// the record lets attach, a file picker. The server checks type, size and bytes; the screen
// says beforehand what it accepts and shows the server's refusal on its field.
import { useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { download } from '../../lib/csv.js';
import { useT, fmtDateTime, fmtNumber } from '../../i18n/index.js';
import { Field, ErrorNotice, Loading, Notice, useLoad } from '../../ui/ui.jsx';

// What the server accepts (documents::AcceptedTypes) and its limit, and the short names of the
// types, which are the same in every language.
const TYPES = { 'application/pdf': 'PDF', 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/webp': 'WebP', 'text/plain': 'TXT', 'text/csv': 'CSV' };
const MAX_BYTES = 4 << 20;
const SHORT = { dateStyle: 'medium', timeStyle: 'short' };

export function fmtSize(bytes) {
  if (bytes < 1024) return fmtNumber(bytes, { style: 'unit', unit: 'byte', unitDisplay: 'short' });
  if (bytes < 1 << 20) return fmtNumber(bytes / 1024, { style: 'unit', unit: 'kilobyte', unitDisplay: 'short', maximumFractionDigits: 1 });
  return fmtNumber(bytes / (1 << 20), { style: 'unit', unit: 'megabyte', unitDisplay: 'short', maximumFractionDigits: 1 });
}

async function sha256Hex(blob) {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// A type the browser did not name is guessed from the extension, as the server names types.
function typeOf(file) {
  if (file.type) return file.type;
  const ext = file.name.split('.').pop().toLowerCase();
  return { pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', txt: 'text/plain', csv: 'text/csv' }[ext] || 'application/octet-stream';
}

function Item({ d }) {
  const t = useT();
  const [state, setState] = useState(null); // 'checked' | 'mismatch' | ApiError
  const [busy, setBusy] = useState(false);
  const get = async () => {
    setBusy(true);
    setState(null);
    try {
      const blob = await api(d.content_url, { as: 'blob' });
      if ((await sha256Hex(blob)) !== d.sha256) {
        setState('mismatch');
        return;
      }
      download(d.filename, blob, d.media_type);
      setState('checked');
    } catch (e) {
      setState(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li data-document-id={d.id}>
      <span class="doc-name">{d.filename}</span>{' '}
      <span class="muted">{t('documents.meta', { type: TYPES[d.media_type] || d.media_type, size: fmtSize(d.size), when: fmtDateTime(d.uploaded_at, SHORT) })}</span>{' '}
      <button type="button" class="btn btn-quiet" disabled={busy} onClick={get} aria-label={t('documents.downloadNamed', { name: d.filename })}>{t('documents.download')}</button>
      {state === 'checked' && <span class="muted" role="status" data-testid="doc-checked"> {t('documents.checked')}</span>}
      {state === 'mismatch' && <Notice kind="error"><p data-testid="doc-mismatch">{t('documents.mismatch')}</p></Notice>}
      {state && typeof state === 'object' && <ErrorNotice error={state} />}
    </li>
  );
}

/** `subject`: "directive" or "case"; `canAttach`: the record's rules let this reader attach;
 *  `level`: the heading's level where the list sits. */
export function Documents({ subject, id, canAttach, level = 4 }) {
  const Heading = `h${level}`;
  const t = useT();
  const list = useLoad(() => api('/documents', { query: { subject, subject_id: id } }), [subject, id]);
  const [file, setFile] = useState(null);
  const [fieldError, setFieldError] = useState(null); // a function, so it follows a language switch
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);
  const [busy, setBusy] = useState(false);
  const inputId = `doc-file-${subject}-${id}`;
  const items = list.data?.items || [];
  const accepted = Object.values(TYPES).join(', ');

  const attach = async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    setError(null);
    setDone(null);
    if (!file) return setFieldError(() => () => t('documents.pick'));
    if (file.size > MAX_BYTES) return setFieldError(() => () => t('documents.tooBig', { size: fmtSize(MAX_BYTES) }));
    setFieldError(null);
    setBusy(true);
    try {
      const d = await api('/documents', { method: 'POST', query: { subject, subject_id: id, filename: file.name }, text: file, contentType: typeOf(file) });
      setDone(d.filename);
      setFile(null);
      form.reset();
      list.reload();
    } catch (x) {
      if (x.field === 'Content-Type') setFieldError(() => () => t('documents.badType', { types: accepted }));
      else if (x.field === 'body') setFieldError(() => () => t('documents.badBody'));
      else if (x.field === 'filename') setFieldError(() => () => t('documents.badName'));
      setError(x);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="documents" aria-label={t('documents.title')} data-testid={`documents-${subject}-${id}`}>
      <Heading>{t('documents.title')}</Heading>
      <ErrorNotice error={list.error} />
      {list.loading && !list.data && <Loading />}
      {list.data && !items.length && <p class="muted">{t('documents.none')}</p>}
      {items.length > 0 && <ul class="plain doc-list">{items.map((d) => <Item key={d.id} d={d} />)}</ul>}
      {canAttach && (
        <form onSubmit={attach} noValidate>
          <Field id={inputId} label={t('documents.file')} hint={t('documents.hint', { types: accepted, size: fmtSize(MAX_BYTES) })} error={typeof fieldError === 'function' ? fieldError() : null}>
            {(a) => <input {...a} type="file" accept={Object.keys(TYPES).join(',')} onChange={(e) => { setFile(e.currentTarget.files[0] || null); setFieldError(null); }} />}
          </Field>
          <ErrorNotice error={error} />
          {done && <Notice kind="ok"><p data-testid="doc-attached">{t('documents.attached', { name: done })}</p></Notice>}
          <button type="submit" class="btn btn-secondary" disabled={busy}>{t('documents.attach')}</button>
        </form>
      )}
    </section>
  );
}

/** The documents of one record behind a disclosure, read only once opened: for a table of many
 *  records (a day's situation reports) that should not ask for each one's list. */
export function DocumentsOnDemand({ subject, id }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <details onToggle={(e) => setOpen(e.currentTarget.open)} data-testid={`documents-open-${subject}-${id}`}>
      <summary>{t('documents.title')}</summary>
      {open && <Documents subject={subject} id={id} canAttach={false} level={4} />}
    </details>
  );
}
