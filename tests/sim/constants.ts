/** Fixed so a build made for tests or the demo knows where the simulator listens. */
export const SIM_PORT = Number(process.env.SIM_PORT ?? 41750);
export const SIM_ORIGIN = `http://127.0.0.1:${SIM_PORT}`;
export const SIM_SERPSTAT_URL = `${SIM_ORIGIN}/v4`;
export const SIM_DATAFORSEO_URL = SIM_ORIGIN;
/** Credentials the simulator accepts. */
export const SIM_SERPSTAT_TOKEN = 'sim-serpstat-token-0001';
export const SIM_DATAFORSEO_LOGIN = 'sim@example.com';
export const SIM_DATAFORSEO_PASSWORD = 'sim-dfs-password-0001';
