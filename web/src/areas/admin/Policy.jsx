// The health-code policy: the active version and every earlier one; an editor for a new text
// with line numbers; Check (POST /policy/check) lists every error by its line beside the text
// and marks the line; a valid text shows what it changes, rule by rule, against the active
// one, and only then can it be activated (PUT /policy), which recomputes the codes it touches.
import { useRef, useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { useT, fmtDateTime, fmtNumber } from '../../i18n/index.js';
import { Page, ErrorNotice, Loading, Notice, useLoad } from '../../ui/ui.jsx';
import { diffPolicies, withVersion } from './policyDiff.js';
import '../../styles/staff.css';

const SHORT = { dateStyle: 'medium', timeStyle: 'short' };

export default function Policy() {
  const t = useT();
  const active = useLoad(() => api('/policy'));
  const versions = useLoad(() => api('/policy/versions'));
  const [text, setText] = useState(null);
  const [check, setCheck] = useState(null); // {valid, errors, diff}
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
      const r = await api('/policy/check', { method: 'POST', text: current, contentType: 'application/toml' });
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
      const r = await api('/policy', { method: 'PUT', text: current, contentType: 'application/toml' });
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
    try { edit((await api('/policy', { query: { version: v } })).text); } catch (e) { setError(e); }
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
  const newVersion = check?.diff?.after?.version;
  const versionLow = check?.valid && !(newVersion > activeVersion);

  return (
    <Page title={t('admin.policy.title')} wide>
      <ErrorNotice error={active.error} />
      {active.loading && !active.data && <Loading />}
      {done && <Notice kind="ok"><p data-testid="activated">{t('admin.policy.activated', { v: fmtNumber(done.version), n: fmtNumber(done.recomputed ?? 0) })}</p></Notice>}
      {active.data && (
        <p data-testid="active-version">{t('admin.policy.active', { v: fmtNumber(active.data.version), name: active.data.name, when: Date.parse(active.data.activated_at) > 0 ? fmtDateTime(active.data.activated_at, SHORT) : t('admin.policy.builtIn') })}</p>
      )}
      {active.data && (
        <div class="policy-layout">
          <div class="policy-editor">
            <label for="policy-text" class="label-strong">{t('admin.policy.text')}</label>
            <p class="hint" id="policy-hint">{t('admin.policy.hint')}</p>
            <div class="code-edit">
              <div class="gutter" ref={gutter} aria-hidden="true">
                {lines.map((_, i) => <div key={i} class={bad.has(i + 1) ? 'bad' : ''}>{bad.has(i + 1) ? '! ' : ''}{i + 1}</div>)}
              </div>
              <textarea id="policy-text" ref={area} value={current} spellcheck={false} wrap="off" rows={24}
                aria-describedby={check && !check.valid ? 'policy-hint policy-errors' : 'policy-hint'} aria-invalid={check && !check.valid ? 'true' : undefined}
                onInput={(e) => edit(e.currentTarget.value)} onScroll={(e) => { if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop; }} />
            </div>
            <div class="row">
              <button type="button" class="btn btn-secondary" onClick={runCheck} disabled={busy}>{t('admin.policy.check')}</button>
              {text != null && <button type="button" class="btn btn-quiet" onClick={() => edit(null)}>{t('admin.policy.reset')}</button>}
            </div>
          </div>
          <div class="policy-side">
            {check && !check.valid && (
              <div class="notice notice-error" id="policy-errors" data-testid="policy-errors">
                <p role="alert"><strong>{t('admin.policy.errorsN', { n: fmtNumber(check.errors.length) })}</strong></p>
                <ul class="plain policy-error-list">
                  {check.errors.map((e, i) => (
                    <li key={i} data-line={e.line}>
                      <button type="button" class="link-button" onClick={() => goTo(e.line)}>{t('admin.policy.line', { n: fmtNumber(e.line) })}</button>
                      {e.field && <> <code>{e.field}</code></>} <span lang="en">{e.reason}</span>
                    </li>
                  ))}
                </ul>
                <p class="hint">{t('admin.policy.serverWords')}</p>
              </div>
            )}
            {check?.valid && (
              <div data-testid="policy-diff">
                <Notice kind="ok"><p>{t('admin.policy.valid')}</p></Notice>
                <h2>{t('admin.policy.changes', { from: fmtNumber(activeVersion), to: newVersion != null ? fmtNumber(newVersion) : '?' })}</h2>
                {check.diff.error ? <p lang="en" class="mono">{check.diff.error}</p> : check.diff.changes.length === 0 ? (
                  <p>{t('admin.policy.noChanges')}</p>
                ) : (
                  <table class="diff">
                    <caption class="visually-hidden">{t('admin.policy.changesCaption')}</caption>
                    <thead><tr><th scope="col">{t('admin.policy.setting')}</th><th scope="col">{t('admin.policy.before')}</th><th scope="col">{t('admin.policy.after')}</th></tr></thead>
                    <tbody>
                      {check.diff.changes.map((c) => (
                        <tr key={c.key} class={`diff-${c.kind}`}>
                          <th scope="row"><code>{c.key}</code> <span class="badge">{t(`admin.policy.kind.${c.kind}`)}</span></th>
                          <td><del>{c.from}</del></td>
                          <td><ins>{c.to}</ins></td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
                {versionLow ? (
                  <Notice kind="warn">
                    <p>{t('admin.policy.versionLow', { v: fmtNumber(activeVersion) })}</p>
                    <button type="button" class="btn btn-secondary" onClick={() => { edit(withVersion(current, activeVersion + 1)); }}>{t('admin.policy.useVersion', { v: fmtNumber(activeVersion + 1) })}</button>
                  </Notice>
                ) : (
                  <button type="button" class="btn" onClick={activate} disabled={busy || check.diff.changes?.length === 0}>{t('admin.policy.activate', { v: fmtNumber(newVersion ?? 0) })}</button>
                )}
              </div>
            )}
            <ErrorNotice error={error} />
          </div>
        </div>
      )}
      <h2>{t('admin.policy.versions')}</h2>
      <ErrorNotice error={versions.error} />
      {versions.data && (
        <table data-testid="policy-versions">
          <caption class="visually-hidden">{t('admin.policy.versions')}</caption>
          <thead><tr><th scope="col">{t('admin.policy.version')}</th><th scope="col">{t('admin.policy.name')}</th><th scope="col">{t('admin.policy.activatedAt')}</th><th scope="col"><span class="visually-hidden">{t('admin.policy.open')}</span></th></tr></thead>
          <tbody>
            {versions.data.items.map((v) => (
              <tr key={v.version} data-version={v.version}>
                <td>{fmtNumber(v.version)}</td>
                <td>{v.name}</td>
                <td>{Date.parse(v.activated_at) > 0 ? fmtDateTime(v.activated_at, SHORT) : t('admin.policy.builtIn')}</td>
                <td><button type="button" class="btn btn-quiet" onClick={() => open(v.version)}>{t('admin.policy.openN', { v: fmtNumber(v.version) })}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
