// The health-code policy: the active version and every earlier one; an editor for a new text
// with line numbers; Check (POST /policy/check) lists every error by its line beside the text
// and marks the line; a valid text shows what it changes, rule by rule, against the active
// one, and only then can it be activated (PUT /policy), which recomputes the codes it touches.
// The editor, errors and diff are VersionedFile.jsx, shared with the screening questionnaire.
import { api } from '../../app/api.js';
import { useT, fmtNumber } from '../../i18n/index.js';
import { Page } from '../../ui/ui.jsx';
import { VersionedFile } from './VersionedFile.jsx';

const toml = (method, path) => (text) => api(path, { method, text, contentType: 'application/toml' });

export default function Policy() {
  const t = useT();
  return (
    <Page title={t('admin.policy.title')} wide>
      <VersionedFile
        prefix="policy"
        words={{ text: 'admin.policy.text', hint: 'admin.policy.hint', noChanges: 'admin.policy.noChanges' }}
        getActive={() => api('/policy')}
        getVersion={(v) => api('/policy', { query: { version: v } })}
        getVersions={() => api('/policy/versions')}
        check={toml('POST', '/policy/check')}
        activate={toml('PUT', '/policy')}
        activated={(r) => t('admin.policy.activated', { v: fmtNumber(r.version), n: fmtNumber(r.recomputed ?? 0) })}
      />
    </Page>
  );
}
