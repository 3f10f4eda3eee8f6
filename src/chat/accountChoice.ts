import type { Account } from '../accounts';
import type { Services } from '../services';
import { quote, ToolError } from './toolKit';

// Tools that send requests use one account: the active one, or the one the model names. Naming another
// account makes the confirmation say the tool switches to it (the status bar shows the switch), because
// the client always sends the active account's key and a silent, temporary switch would be invisible.

export interface AccountPlan {
  account: Account;
  /** True when running means switching the active account first. */
  switches: boolean;
}

/** The account a tool will use, or a ToolError naming what to do (no key set, no such account). */
export async function planAccount(services: Services, wanted: string | undefined): Promise<AccountPlan> {
  const [all, active] = await Promise.all([services.accounts.list(), services.accounts.active()]);
  if (all.length === 0 || !active) {
    throw new ToolError('No Everflow API key is set, so nothing was sent. Ask the user to run "Everflow: Set API Key" and then try again.');
  }
  const name = wanted?.trim();
  if (!name || name.toLowerCase() === active.name.toLowerCase()) return { account: active, switches: false };
  const match = all.find((a) => a.name.toLowerCase() === name.toLowerCase());
  if (!match) {
    throw new ToolError(`There is no Everflow account called ${quote(name)}. The accounts are: ${all.map((a) => quote(a.name)).join(', ')}.`);
  }
  return { account: match, switches: true };
}

/** Makes the plan's account active (when it is not already) right before the requests go out. */
export async function applyAccount(services: Services, plan: AccountPlan): Promise<void> {
  if (!plan.switches) return;
  await services.accounts.setActive(plan.account.id);
}

/** "account "Sandbox"" or "account "Second" (switching from "Sandbox")" for a confirmation. */
export async function accountLine(services: Services, plan: AccountPlan): Promise<string> {
  const active = await services.accounts.active();
  return plan.switches && active
    ? `Account: ${quote(plan.account.name)} (the tool switches the active account from ${quote(active.name)} to it).`
    : `Account: ${quote(plan.account.name)} (the active account).`;
}
