// Container healthcheck without curl (the Node image has none): exit 0 when
// GET <url> answers 2xx within 4 s, else 1, as Docker's HEALTHCHECK expects.
const res = await fetch(process.argv[2], { signal: AbortSignal.timeout(4000) }).catch(() => undefined);
process.exit(res?.ok ? 0 : 1);
