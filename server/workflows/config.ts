import type { WorkflowEngineOptions } from './engine';

/**
 * The workflow engine's settings from the environment:
 * - `CLICKTRAIL_WEBHOOKS_ALLOW_PRIVATE=1`: webhooks may use http and private-network addresses
 *   (loopback, 10/8, 192.168/16, ...), for self-hosted teams calling internal services. Off by
 *   default: https to public addresses only.
 * - `CLICKTRAIL_WEBHOOK_TIMEOUT_MS` (10000), `CLICKTRAIL_WEBHOOK_MAX_ATTEMPTS` (5),
 *   `CLICKTRAIL_WEBHOOK_RETRY_BASE_MS` (5000, doubled per attempt), `CLICKTRAIL_WORKFLOW_POLL_MS` (200).
 */
export function workflowConfig(env: NodeJS.ProcessEnv): WorkflowEngineOptions {
  const flag = env.CLICKTRAIL_WEBHOOKS_ALLOW_PRIVATE?.trim().toLowerCase();
  if (flag !== undefined && flag !== '' && !['0', '1', 'true', 'false'].includes(flag)) {
    throw new Error(
      `CLICKTRAIL_WEBHOOKS_ALLOW_PRIVATE must be 1 or 0, got "${env.CLICKTRAIL_WEBHOOKS_ALLOW_PRIVATE}".`,
    );
  }
  const options: WorkflowEngineOptions = { allowPrivateNetwork: flag === '1' || flag === 'true' };
  const number = (name: string, min: number, max: number): number | undefined => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`${name} must be a whole number between ${min} and ${max}, got "${raw}".`);
    }
    return value;
  };
  const timeout = number('CLICKTRAIL_WEBHOOK_TIMEOUT_MS', 100, 120_000);
  const attempts = number('CLICKTRAIL_WEBHOOK_MAX_ATTEMPTS', 1, 20);
  const retryBase = number('CLICKTRAIL_WEBHOOK_RETRY_BASE_MS', 10, 3_600_000);
  const poll = number('CLICKTRAIL_WORKFLOW_POLL_MS', 10, 60_000);
  if (timeout !== undefined) options.webhookTimeoutMs = timeout;
  if (attempts !== undefined) options.maxAttempts = attempts;
  if (retryBase !== undefined) options.retryBaseMs = retryBase;
  if (poll !== undefined) options.pollIntervalMs = poll;
  return options;
}
