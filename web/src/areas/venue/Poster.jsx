// A printable A4 poster: the venue's name, its signed QR (GET /venues/{id}/poster.svg), the
// code to type, and short instructions in the languages the operator picks (default: this
// screen's language, the country's and English). Printing uses styles/print.css.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { Link } from '../../app/router.js';
import { useT, tIn, lang, loadAreas, LANGUAGES } from '../../i18n/index.js';
import { useStore } from '../../app/store.js';
import { Page, ErrorNotice, Loading, useLoad } from '../../ui/ui.jsx';

// The venue's country from its region code; the demo region is Vietnam (VN-QN).
const COUNTRY_LANGUAGE = { VN: 'vi', TH: 'th', LA: 'lo', KH: 'km', MM: 'my', MY: 'ms', ID: 'id', PH: 'fil', SG: 'en', CN: 'zh', TL: 'tet', BN: 'ms' };

async function loadPoster(id) {
  const [venue, poster, svg] = await Promise.all([
    api(`/venues/${id}`),
    api(`/venues/${id}/poster`),
    api(`/venues/${id}/poster.svg`, { as: 'blob' }),
  ]);
  let country = 'VN';
  try {
    let unit = await api(`/org-units/${venue.org_unit_id}`);
    while (unit.parent_id) unit = await api(`/org-units/${unit.parent_id}`);
    country = unit.code.split('-')[0];
  } catch {
    /* outside my scope: keep the default */
  }
  return { venue, poster, svgUrl: URL.createObjectURL(svg), country };
}

export default function Poster({ params }) {
  const t = useT();
  const ui = useStore(lang);
  const { data, error, loading } = useLoad(() => loadPoster(params.id), [params.id]);
  const [langs, setLangs] = useState(null);
  const [ready, setReady] = useState(0);

  useEffect(() => {
    if (data && !langs) setLangs([...new Set([ui, COUNTRY_LANGUAGE[data.country] || 'en', 'en'])].slice(0, 3));
  }, [data]);
  useEffect(() => {
    if (langs) Promise.all(langs.map((l) => loadAreas(['venue'], l))).then(() => setReady((n) => n + 1));
  }, [langs?.join()]);
  useEffect(() => () => data && URL.revokeObjectURL(data.svgUrl), [data]);

  const toggle = (code) => setLangs((ls) => (ls.includes(code) ? ls.filter((x) => x !== code) : [...ls, code]));

  return (
    <Page title={t('venue.poster.title')} class="poster-page">
      <ErrorNotice error={error} />
      {loading && <Loading />}
      {data && langs && (
        <>
          <div class="no-print card">
            <fieldset>
              <legend>{t('venue.poster.languages')}</legend>
              <div class="poster-langs">
                {LANGUAGES.map((l) => (
                  <label class="check" key={l.code} lang={l.code}>
                    <input type="checkbox" checked={langs.includes(l.code)} onChange={() => toggle(l.code)} /> {l.name}
                  </label>
                ))}
              </div>
            </fieldset>
            <div class="row">
              <button type="button" class="btn" onClick={() => window.print()}>{t('venue.poster.print')}</button>
              <Link class="btn btn-secondary" href={`/venues/${params.id}`}>{t('venue.list.occupancy')}</Link>
            </div>
          </div>
          <article class="poster" data-ready={ready} aria-label={t('venue.poster.preview')}>
            <h2 class="poster-name">{data.venue.name}</h2>
            <img class="poster-qr" src={data.svgUrl} alt={t('venue.poster.qrAlt', { name: data.venue.name })} width="488" height="488" />
            <p class="poster-code mono">{data.poster.qr_text}</p>
            <div class="poster-steps">
              {langs.map((l) => (
                <section lang={l} key={l}>
                  <h3>{tIn(l, 'venue.poster.scanTitle')}</h3>
                  <p>{tIn(l, 'venue.poster.steps')}</p>
                  <p>{tIn(l, 'venue.poster.checkout')}</p>
                </section>
              ))}
            </div>
          </article>
        </>
      )}
    </Page>
  );
}
