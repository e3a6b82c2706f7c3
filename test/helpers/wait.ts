// Waiting for what another part does on its own time (the IPN the sandbox gateway sends, the
// outbox worker): polls every 50 ms, and fails with what was awaited after 10 s.
export async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i += 1) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
