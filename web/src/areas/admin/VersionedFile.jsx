// A versioned TOML file the administrator replaces as a whole (the health-code policy, the
// screening questionnaire): the active version and every earlier one; an editor with line
// numbers; Check lists every error by its line beside the text and marks the line (a click takes
// the caret there); a valid text shows what it changes, setting by setting, against the active
// one, and only then can it be activated. Policy.jsx and Screening.jsx are this with their own
// API calls and words; the shared words are admin.file.*.
import { useRef, useState } from 'preact/hooks';
import { useT, fmtDateTime, fmtNumber } from '../../i18n/index.js';
import { ErrorNotice, Loading, Notice, useLoad } from '../../ui/ui.jsx';
import { diffPolicies, withVersion } from './policyDiff.js';
import '../../styles/staff.css';

const SHORT = { dateStyle: 'medium', timeStyle: 'short' };

/**
 * props:
 *   prefix     'policy' | 'screening': element ids and test ids (`${prefix}-text`, `${prefix}-errors`, ...)
 *   words      { text, hint, noChanges }: catalogue keys of this file's own words
 *   getActive  () => {version, name, text, activated_at}
 *   getVersion (v) => the same for version v
 *   getVersions () => {items: [{version, name, activated_at}]}
 *   check      (text) => the server's check answer (throws ApiError with body.errors)
 *   activate   (text) => the server's activation answer
 *   activated  (answer, t) => the words said after activation
 *   checked    (answer, t) => optional extra lines about a valid check (JSX)
 */
export function VersionedFile({ prefix, words, getActive, getVersion, getVersions, check: checkText, activate: activateText, activated, checked }) {
  const t = useT();
  const active = useLoad(getActive);
  const versions = useLoad(getVersions);
  const [text, setText] = useState(null);
  const [check, setCheck] = useState(null); // {valid, errors, result, diff}
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(null);
  const area = useRef(null);
  const gutter = useRef(null);

  const current = text ?? active.data?.text ?? '';
  const lines = current.split('\n');
  const bad = new Map();
  for (const e of check?.errors || []) if (e.line) bad.set(e.line, [...(bad.get(e.line) || []), e]);

  const edit = (v) => { setText(v); setCheck(null); setDone(null); };

  const runCheck = async () => {
    setBusy(true); setError(null); setDone(null);
    try {
      const r = await checkText(current);
      setCheck({ valid: true, errors: [], result: r, diff: diffPolicies(active.data.text, current) });
    } catch (e) {
      if (e.body?.errors) setCheck({ valid: false, errors: e.body.errors });
      else setError(e);
    } finally {
      setBusy(false);
    }
  };

  const activate = async () => {
    setBusy(true); setError(null);
    try {
      const r = await activateText(current);
      setDone(r);
      setText(null); setCheck(null);
      active.reload(); versions.reload();
    } catch (e) {
      if (e.body?.errors) setCheck({ valid: false, errors: e.body.errors });
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const open = async (v) => {
    try { edit((await getVersion(v)).text); } catch (e) { setError(e); }
  };

  const goTo = (line) => {
    const el = area.current;
    if (!el) return;
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    el.focus();
    el.setSelectionRange(start, start + (lines[line - 1] || '').length);
    const lh = parseFloat(getComputedStyle(el).lineHeight) || 20;
    el.scrollTop = Math.max(0, (line - 3) * lh);
  };

  const activeVersion = active.data?.version || 0;
  const newVersion = check?.diff?.after?.version ?? check?.result?.version;
  const versionLow = check?.valid && !(newVersion > activeVersion);
  const when = (at) => (Date.parse(at) > 0 ? fmtDateTime(at, SHORT) : t('admin.file.builtIn'));

  return (
    <>
      <ErrorNotice error={active.error} />
      {active.loading && !active.data && <Loading />}
      {done && <Notice kind="ok"><p data-testid="activated">{activated(done, t)}</p></Notice>}
      {active.data && (
        <p data-testid="active-version">{t('admin.file.active', { v: fmtNumber(active.data.version), name: active.data.name, when: when(active.data.activated_at) })}</p>
      )}
      {active.data && (
        <div class="policy-layout">
          <div class="policy-editor">
            <label for={`${prefix}-text`} class="label-strong">{t(words.text)}</label>
            <p class="hint" id={`${prefix}-hint`}>{t(words.hint)}</p>
            <div class="code-edit">
              <div class="gutter" ref={gutter} aria-hidden="true">
                {lines.map((_, i) => <div key={i} class={bad.has(i + 1) ? 'bad' : ''}>{bad.has(i + 1) ? '! ' : ''}{i + 1}</div>)}
              </div>
              <textarea id={`${prefix}-text`} ref={area} value={current} spellcheck={false} wrap="off" rows={24}
                aria-describedby={check && !check.valid ? `${prefix}-hint ${prefix}-errors` : `${prefix}-hint`} aria-invalid={check && !check.valid ? 'true' : undefined}
                onInput={(e) => edit(e.currentTarget.value)} onScroll={(e) => { if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop; }} />
            </div>
            <div class="row">
              <button type="button" class="btn btn-secondary" onClick={runCheck} disabled={busy}>{t('admin.file.check')}</button>
              {text != null && <button type="button" class="btn btn-quiet" onClick={() => edit(null)}>{t('admin.file.reset')}</button>}
            </div>
          </div>
          <div class="policy-side">
            {check && !check.valid && <FileErrors id={`${prefix}-errors`} errors={check.errors} goTo={goTo} />}
            {check?.valid && (
              <div data-testid={`${prefix}-diff`}>
                <Notice kind="ok"><p>{t('admin.file.valid')}</p></Notice>
                {checked?.(check.result, t)}
                <h2>{t('admin.file.changes', { from: fmtNumber(activeVersion), to: newVersion != null ? fmtNumber(newVersion) : '?' })}</h2>
                {check.diff.error ? <p lang="en" class="mono">{check.diff.error}</p> : check.diff.changes.length === 0 ? (
                  <p>{t(words.noChanges)}</p>
                ) : (
                  <DiffTable changes={check.diff.changes} />
                )}
                {versionLow ? (
                  <Notice kind="warn">
                    <p>{t('admin.file.versionLow', { v: fmtNumber(activeVersion) })}</p>
                    <button type="button" class="btn btn-secondary" onClick={() => { edit(withVersion(current, activeVersion + 1)); }}>{t('admin.file.useVersion', { v: fmtNumber(activeVersion + 1) })}</button>
                  </Notice>
                ) : (
                  <button type="button" class="btn" onClick={activate} disabled={busy || check.diff.changes?.length === 0}>{t('admin.file.activate', { v: fmtNumber(newVersion ?? 0) })}</button>
                )}
              </div>
            )}
            <ErrorNotice error={error} />
          </div>
        </div>
      )}
      <h2>{t('admin.file.versions')}</h2>
      <ErrorNotice error={versions.error} />
      {versions.data && (
        <table data-testid={`${prefix}-versions`}>
          <caption class="visually-hidden">{t('admin.file.versions')}</caption>
          <thead><tr><th scope="col">{t('admin.file.version')}</th><th scope="col">{t('admin.file.name')}</th><th scope="col">{t('admin.file.activatedAt')}</th><th scope="col"><span class="visually-hidden">{t('admin.file.open')}</span></th></tr></thead>
          <tbody>
            {versions.data.items.map((v) => (
              <tr key={v.version} data-version={v.version}>
                <td>{fmtNumber(v.version)}</td>
                <td>{v.name}</td>
                <td>{when(v.activated_at)}</td>
                <td><button type="button" class="btn btn-quiet" onClick={() => open(v.version)}>{t('admin.file.openN', { v: fmtNumber(v.version) })}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** The server's errors, each with a button that takes the caret to its line. */
export function FileErrors({ id, errors, goTo }) {
  const t = useT();
  return (
    <div class="notice notice-error" id={id} data-testid={id}>
      <p role="alert"><strong>{t('admin.file.errorsN', { n: fmtNumber(errors.length) })}</strong></p>
      <ul class="plain policy-error-list">
        {errors.map((e, i) => (
          <li key={i} data-line={e.line}>
            {e.line ? <button type="button" class="link-button" onClick={() => goTo(e.line)}>{t('admin.file.line', { n: fmtNumber(e.line) })}</button> : null}
            {e.field && <> <code>{e.field}</code></>} <span lang="en">{e.reason}</span>
          </li>
        ))}
      </ul>
      <p class="hint">{t('admin.file.serverWords')}</p>
    </div>
  );
}

/** Setting by setting: before and after. */
export function DiffTable({ changes }) {
  const t = useT();
  return (
    <table class="diff">
      <caption class="visually-hidden">{t('admin.file.changesCaption')}</caption>
      <thead><tr><th scope="col">{t('admin.file.setting')}</th><th scope="col">{t('admin.file.before')}</th><th scope="col">{t('admin.file.after')}</th></tr></thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.key} class={`diff-${c.kind}`}>
            <th scope="row"><code>{c.key}</code> <span class="badge">{t(`admin.file.kind.${c.kind}`)}</span></th>
            <td><del>{c.from}</del></td>
            <td><ins>{c.to}</ins></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
