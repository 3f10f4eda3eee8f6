// Questions tests ask the running sandbox over its own HTTP API, as a client would (so the answer is
// what the product will see), shared by the integration and end-to-end tiers.

/** The transaction ID of a click of yesterday (UTC) that the sandbox rejected (error_code ≠ 0). */
export async function rejectedClickId(sandboxUrl: string, apiKey: string): Promise<string> {
  const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const res = await fetch(new URL('/v1/affiliates/reporting/clicks/stream', sandboxUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Eflow-API-Key': apiKey },
    body: JSON.stringify({ from: `${day} 00:00:00`, to: `${day} 23:59:59`, timezone_id: 67 }),
  });
  if (!res.ok) throw new Error(`the sandbox answered ${res.status} to yesterday's stream`);
  const body = (await res.json()) as { clicks?: unknown[]; table?: unknown[] } | unknown[];
  const rows = (Array.isArray(body) ? body : (body.clicks ?? body.table ?? [])) as { transaction_id: string; error_code: number }[];
  const hit = rows.find((r) => Number(r.error_code) > 0);
  if (!hit) throw new Error('the sandbox has no rejected click yesterday');
  return hit.transaction_id;
}
