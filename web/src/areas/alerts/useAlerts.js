// The alerts of my org unit as live state, shared by the alerts screen and the command wall:
// the list (GET /alerts), new ones pushed by the WebSocket feed (feed.js), a re-read after a
// reconnect, a re-read every 20 s while the feed is not live (until the server has /api/v1/ws),
// and acknowledge.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { useInterval } from '../../ui/ui.jsx';
import { connectAlerts } from './feed.js';

const POLL_MS = 20000;

export function useAlerts({ openOnly = true, limit = 100 } = {}) {
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);
  const [feed, setFeed] = useState('connecting');
  const [busy, setBusy] = useState(null);
  const open = useRef(openOnly);
  open.current = openOnly;

  const load = () => api('/alerts', { query: { open: open.current ? 'true' : undefined, limit } }).then((r) => { setItems(r.items); setError(null); }, setError);
  useEffect(() => { load(); }, [openOnly]);
  useEffect(() => connectAlerts({
    onAlert: (a) => setItems((xs) => [a, ...(xs || []).filter((x) => x.id !== a.id)]),
    onState: setFeed,
    onReconnect: load,
  }), []);
  useInterval(() => { if (feed !== 'live') load(); }, POLL_MS);

  const acknowledge = async (id) => {
    setBusy(id);
    try {
      const a = await api(`/alerts/${id}/acknowledge`, { method: 'POST', body: {} });
      setItems((xs) => (open.current ? xs.filter((x) => x.id !== id) : xs.map((x) => (x.id === id ? { ...x, ...a } : x))));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  return { items, error, feed, busy, acknowledge, reload: load };
}
