import { setUpContextMenu } from '@/lib/background/context-menu';
import { setUpFirstRun } from '@/lib/background/first-run';
import { setUpKeySealing } from '@/lib/background/key-sealing';
import { createBackgroundServices } from '@/lib/background/services';
import { setUpMessaging } from '@/lib/background/messages';
import { setUpSidePanel } from '@/lib/background/side-panel';
import { setUpPorts } from '@/lib/background/ports';

export default defineBackground(() => {
  const services = createBackgroundServices();
  setUpMessaging(services);
  setUpPorts(services);
  setUpSidePanel();
  setUpContextMenu();
  setUpKeySealing();
  setUpFirstRun();
});
