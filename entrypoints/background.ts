import { setUpContextMenu } from '@/lib/background/context-menu';
import { setUpFirstRun } from '@/lib/background/first-run';
import { setUpKeySealing } from '@/lib/background/key-sealing';
import { createBackgroundServices } from '@/lib/background/services';
import { setUpMessaging } from '@/lib/background/messages';
import { setUpSidePanel } from '@/lib/background/side-panel';
import { setUpTableStreaming } from '@/lib/background/table-server';

export default defineBackground(() => {
  const services = createBackgroundServices();
  setUpMessaging(services);
  setUpTableStreaming(services);
  setUpSidePanel();
  setUpContextMenu();
  setUpKeySealing();
  setUpFirstRun();
});
