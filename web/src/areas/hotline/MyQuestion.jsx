// One of my questions (GET /tickets/{id}): its state, the thread ("you" and "the hotline"),
// a box to add to it (which makes it wait for the hotline again), and closing it once it is
// answered (POST /tickets/{id}/close: the person who asked needs no note). Closed: no box.
import { useState } from 'preact/hooks';
import { Link } from '../../app/router.js';
import { useT, fmtDateTime } from '../../i18n/index.js';
import { Page, Notice, ErrorNotice, Loading, useAction, useLoad } from '../../ui/ui.jsx';
import { getTicket, closeTicket, SHORT } from './data.js';
import { Thread, MessageBox } from './Thread.jsx';

export default function MyQuestion({ params }) {
  const t = useT();
  const load = useLoad(() => getTicket(params.id), [params.id]);
  const [fresh, setFresh] = useState(null);
  const [done, setDone] = useState(null);
  const close = useAction();
  const k = fresh?.id === Number(params.id) ? fresh : load.data;

  const doClose = async () => {
    const r = await close.run(() => closeTicket(k.id), () => t('hotline.mine.closed'));
    if (r) setFresh(r);
  };

  return (
    <Page title={k ? k.subject : t('hotline.mine.question')} titleLang={k?.language}>
      <p><Link href="/me/questions">{t('hotline.mine.back')}</Link></p>
      <ErrorNotice error={load.error} />
      {load.loading && !k && <Loading />}
      {k && (
        <>
          <dl class="ticket-facts" data-testid="ticket-facts">
            <div><dt>{t('hotline.status')}</dt><dd><span class={`badge status-${k.status}`} data-testid="status" data-status={k.status}>{t(`hotline.mine.status.${k.status}`)}</span></dd></div>
            <div><dt>{t('hotline.category')}</dt><dd>{t(`hotline.cat.${k.category}`)}</dd></div>
            <div><dt>{t('hotline.openedAt')}</dt><dd>{fmtDateTime(k.created_at, SHORT)}</dd></div>
            {k.closed_at && <div><dt>{t('hotline.closedAt')}</dt><dd>{fmtDateTime(k.closed_at, SHORT)}</dd></div>}
          </dl>
          {k.status === 'answered' && <Notice><p>{t('hotline.mine.answeredHint')}</p></Notice>}
          {k.status === 'closed' && <Notice><p data-testid="closed-note">{t('hotline.mine.isClosed')}</p>{k.close_note && <p>{t('hotline.mine.closeNote')} <span class="ticket-note" lang={k.language} data-testid="close-note">{k.close_note}</span></p>}</Notice>}
          <Thread ticket={k} viewer="citizen" />
          {done && <Notice kind="ok"><p>{done()}</p></Notice>}
          {close.done && <Notice kind="ok"><p data-testid="close-done">{close.done()}</p></Notice>}
          {k.status !== 'closed' && (
            <>
              <MessageBox ticket={k} title={t('hotline.mine.add')} label={t('hotline.mine.addLabel')} hint={t('hotline.mine.addHint')} submit={t('hotline.mine.addSend')}
                onDone={(x) => { setFresh(x); setDone(() => () => t('hotline.mine.added')); close.setDone(null); }} />
              <div class="card">
                <h2>{t('hotline.mine.closeTitle')}</h2>
                <p>{t('hotline.mine.closeHint')}</p>
                <ErrorNotice error={close.error} />
                <button type="button" class="btn btn-secondary btn-block" disabled={close.busy} onClick={doClose}>{t('hotline.mine.close')}</button>
              </div>
            </>
          )}
        </>
      )}
    </Page>
  );
}
