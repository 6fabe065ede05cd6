// Camera QR reader shared by check-in and checkpoint. jsQR is loaded only when the camera
// starts, so screens that never scan never download it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useT } from '../i18n/index.js';
import { Notice } from './ui.jsx';

export function QrScanner({ onResult, accept = () => true, startLabel }) {
  const t = useT();
  const video = useRef(null);
  const [state, setState] = useState('idle'); // idle | starting | scanning | denied | unsupported
  const stop = useRef(() => {});

  useEffect(() => () => stop.current(), []);

  const start = async () => {
    if (!navigator.mediaDevices?.getUserMedia) return setState('unsupported');
    setState('starting');
    let stream;
    try {
      const [media, mod] = await Promise.all([
        navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment', width: { ideal: 1280 } }, audio: false }),
        import('jsqr'),
      ]);
      stream = media;
      const jsQR = mod.default;
      const el = video.current;
      el.srcObject = stream;
      await el.play();
      setState('scanning');
      const canvas = document.createElement('canvas');
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      let live = true;
      let timer = null;
      stop.current = () => {
        live = false;
        clearTimeout(timer);
        stream.getTracks().forEach((tr) => tr.stop());
      };
      const tick = () => {
        if (!live) return;
        if (el.readyState >= 2 && el.videoWidth) {
          const scale = Math.min(1, 800 / el.videoWidth);
          canvas.width = Math.round(el.videoWidth * scale);
          canvas.height = Math.round(el.videoHeight * scale);
          ctx.drawImage(el, 0, 0, canvas.width, canvas.height);
          const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
          const code = jsQR(img.data, img.width, img.height, { inversionAttempts: 'attemptBoth' });
          if (code?.data && accept(code.data)) {
            stop.current();
            setState('idle');
            onResult(code.data);
            return;
          }
        }
        timer = setTimeout(tick, 120);
      };
      tick();
    } catch (e) {
      stream?.getTracks().forEach((tr) => tr.stop());
      setState(e?.name === 'NotAllowedError' ? 'denied' : 'unsupported');
    }
  };

  const active = state === 'scanning' || state === 'starting';
  return (
    <div class="stack">
      <div class="scanner" hidden={!active}>
        <video ref={video} muted playsInline aria-label={t('common.scanner.video')} />
        <div class="frame" aria-hidden="true" />
      </div>
      {active ? (
        <>
          <p role="status">{t('common.scanner.pointAt')}</p>
          <button type="button" class="btn btn-secondary" onClick={() => { stop.current(); setState('idle'); }}>
            {t('common.scanner.stop')}
          </button>
        </>
      ) : (
        <button type="button" class="btn btn-block" onClick={start}>{startLabel || t('common.scanner.start')}</button>
      )}
      {state === 'denied' && <Notice kind="warn">{t('common.scanner.denied')}</Notice>}
      {state === 'unsupported' && <Notice kind="warn">{t('common.scanner.unsupported')}</Notice>}
    </div>
  );
}
