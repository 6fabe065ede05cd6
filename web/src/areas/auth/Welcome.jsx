// The home of roles whose screens are not built yet (laboratory, devices).
import { useT } from '../../i18n/index.js';
import { Page, Notice } from '../../ui/ui.jsx';

export default function Welcome({ user }) {
  const t = useT();
  return (
    <Page title={t('common.welcome.title', { name: user.username })}>
      <Notice>{t('common.welcome.body', { role: t(`common.role.${user.role}`) })}</Notice>
    </Page>
  );
}
