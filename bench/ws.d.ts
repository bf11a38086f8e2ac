/** The `ws` client, used through the WHATWG WebSocket interface it implements (Node 20 has no global WebSocket). */
declare module 'ws' {
  const WebSocketClient: typeof WebSocket;
  export default WebSocketClient;
}
