// The live alert feed over /api/v1/ws, with automatic reconnect.
// Contract: connect; send {"type":"auth","token"}; the server answers {"type":"ready"} (or
// {"type":"error",...} and closes); send {"type":"subscribe","topics":["alerts"]}; then
// receive {"type":"alert","alert":{...as the items of GET /api/v1/alerts}}.
// Reconnects with exponential back-off (1 s doubling to 30 s, with jitter); an auth error
// stops it (the session is gone). onState gets 'connecting' | 'live' | 'retrying' | 'stopped'.
import { session } from '../../app/session.js';

export function connectAlerts({ onAlert, onState = () => {}, onReconnect = () => {}, WebSocketImpl = WebSocket }) {
  let ws = null;
  let delay = 1000;
  let timer = null;
  let closed = false;
  let wasLive = false;

  const url = () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/ws`;

  const schedule = () => {
    if (closed) return;
    onState('retrying');
    const wait = Math.min(30000, delay) * (0.8 + Math.random() * 0.4);
    delay = Math.min(30000, delay * 2);
    timer = setTimeout(open, wait);
  };

  function open() {
    if (closed) return;
    const token = session.get()?.token;
    if (!token) return onState('stopped');
    onState('connecting');
    try {
      ws = new WebSocketImpl(url());
    } catch {
      return schedule();
    }
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token }));
    ws.onmessage = (ev) => {
      let msg;
      try { msg = JSON.parse(ev.data); } catch { return; }
      if (msg.type === 'ready') {
        ws.send(JSON.stringify({ type: 'subscribe', topics: ['alerts'] }));
        delay = 1000;
        onState('live');
        // After a gap, the list may have missed alerts: let the screen re-read it.
        if (wasLive) onReconnect();
        wasLive = true;
      } else if (msg.type === 'alert' && msg.alert) {
        onAlert(msg.alert);
      } else if (msg.type === 'error') {
        if (/auth|token|unauth/i.test(`${msg.code || ''} ${msg.message || ''}`)) { closed = true; onState('stopped'); }
      }
    };
    ws.onclose = () => { ws = null; if (!closed) schedule(); else onState('stopped'); };
    ws.onerror = () => { try { ws?.close(); } catch { /* closing anyway */ } };
  }

  const onOnline = () => { if (!ws && !closed) { clearTimeout(timer); delay = 1000; open(); } };
  window.addEventListener('online', onOnline);
  open();
  return () => {
    closed = true;
    clearTimeout(timer);
    window.removeEventListener('online', onOnline);
    try { ws?.close(); } catch { /* already closed */ }
  };
}
