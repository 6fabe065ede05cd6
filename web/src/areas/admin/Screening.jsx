// The symptom self-assessment questionnaire (docs/screening.md): the same versioned-file editor
// as the health-code policy (VersionedFile.jsx): the active text and every version, Check
// (POST /screening/check) with errors by line, the diff against the active version (questions
// keyed by id: questions[fever].text.vi), and activation (PUT /screening).
import { api } from '../../app/api.js';
import { useT, fmtNumber, LANGUAGES } from '../../i18n/index.js';
import { Page } from '../../ui/ui.jsx';
import { VersionedFile } from './VersionedFile.jsx';

const toml = (method, path) => (text) => api(path, { method, text, contentType: 'text/plain' });
const langName = (code) => LANGUAGES.find((l) => l.code === code)?.name || code;

export default function Screening() {
  const t = useT();
  return (
    <Page title={t('admin.screening.title')} wide>
      <VersionedFile
        prefix="screening"
        words={{ text: 'admin.screening.text', hint: 'admin.screening.hint', noChanges: 'admin.screening.noChanges' }}
        getActive={() => api('/screening/file')}
        getVersion={(v) => api('/screening/file', { query: { version: v } })}
        getVersions={() => api('/screening/versions')}
        check={toml('POST', '/screening/check')}
        activate={toml('PUT', '/screening')}
        activated={(r) => t('admin.screening.activated', { v: fmtNumber(r.version), name: r.name })}
        checked={(r) => (
          <p data-testid="screening-summary">
            {t('admin.screening.questionsN', { n: fmtNumber(r.questions ?? 0) })}{' '}
            {r.untranslated?.length
              ? <>{t('admin.screening.untranslated')} {r.untranslated.map((c, i) => <span key={c}>{i ? ', ' : ''}<span lang={c}>{langName(c)}</span></span>)}</>
              : t('admin.screening.allTranslated')}
          </p>
        )}
      />
    </Page>
  );
}
