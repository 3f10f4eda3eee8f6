import * as vscode from 'vscode';
import { showError, showInfo, showWarning } from '../notifications';
import { validateAccountName } from '../accounts';
import * as config from '../config';
import { isEverflowError, UserFacingError } from '../core/errors';
import { defuseLinks } from '../core/plainText';
import type { Services } from '../services';
import { withCancellableProgress } from '../host/progress';

interface SetKeyArgs {
  account?: string;
  key?: string;
}

/**
 * Set API Key: account name, then the key in a password box; the key is tried against Everflow
 * before anything is stored. Arguments (`{ account, key }`) skip the prompts, for scripts and tests.
 */
export async function setApiKey(services: Services, args?: SetKeyArgs): Promise<boolean> {
  const { accounts, client, logger } = services;
  const active = await accounts.active();
  const name =
    args?.account ??
    (await vscode.window.showInputBox({
      title: 'Set Everflow API Key (1/2)',
      prompt: 'A name for this Everflow account, such as the network it belongs to.',
      value: active?.name ?? 'Default',
      ignoreFocusOut: true,
      validateInput: validateAccountName,
    }));
  if (name === undefined) return false;
  const nameProblem = validateAccountName(name);
  if (nameProblem) throw new UserFacingError(nameProblem);

  const key = (
    args?.key ??
    (await vscode.window.showInputBox({
      title: `Set Everflow API Key (2/2): ${name.trim()}`,
      prompt: 'Paste the affiliate API key (Everflow → Profile → API). It is stored in VS Code\'s secret storage only.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Paste the API key.'),
    }))
  )?.trim();
  if (!key) return false;
  logger.addSecret(key);

  try {
    if (!(await services.hostGuard.allows(config.baseUrl()))) return false;
    await withCancellableProgress('Checking the API key with Everflow…', (signal) => client.checkKey(key, { signal }));
  } catch (err) {
    if (!isEverflowError(err)) throw err;
    if (err.reason === 'cancelled') return false;
    if (err.reason === 'unauthorized' || err.reason === 'forbidden') {
      const why =
        err.reason === 'unauthorized'
          ? 'Everflow did not accept this API key (401). Check that you copied the whole key, and that it is an affiliate key.'
          : 'Everflow refused this key for the affiliate API (403). It may be a network or advertiser key; use an affiliate API key.';
      void showError(`${why} The key was not saved.`, 'Try Again').then((again) => {
        if (again) void setApiKey(services, { account: name });
      });
      return false;
    }
    // Everflow could not be reached: the key is unproven, so saving it is the user's call.
    const choice = await showWarning(
      `Could not check the key with Everflow: ${defuseLinks(logger.redact(err.message))} Save it anyway?`,
      { modal: true },
      'Save Anyway',
    );
    if (choice !== 'Save Anyway') return false;
  }
  const account = await accounts.save(name, key);
  logger.info(`API key saved for account "${account.name}".`);
  void showInfo(`Everflow API key saved for account "${account.name}". It is now the active account.`);
  return true;
}

interface AccountPick extends vscode.QuickPickItem {
  id?: string;
  add?: boolean;
}

/** Switch Account: the active one first, then the others, then "Add Account…". */
export async function switchAccount(services: Services, args?: { account?: string }): Promise<boolean> {
  const { accounts } = services;
  const [all, active] = await Promise.all([accounts.list(), accounts.active()]);
  let id: string | undefined;
  if (args?.account !== undefined) {
    id = all.find((a) => a.name === args.account || a.id === args.account)?.id;
    if (!id) throw new UserFacingError(`There is no Everflow account called "${args.account}".`);
  } else {
    const items: AccountPick[] = all.map((a) => ({
      label: a.name,
      description: a.id === active?.id ? 'active' : undefined,
      iconPath: new vscode.ThemeIcon(a.id === active?.id ? 'pass-filled' : 'account'),
      id: a.id,
    }));
    items.push({ label: 'Add Account…', iconPath: new vscode.ThemeIcon('add'), add: true });
    const pick = await vscode.window.showQuickPick(items, { title: 'Switch Everflow Account', placeHolder: 'Choose the account whose key requests use' });
    if (!pick) return false;
    if (pick.add) return setApiKey(services, { account: undefined });
    id = pick.id;
  }
  if (!id) return false;
  await accounts.setActive(id);
  const now = await accounts.active();
  void showInfo(`Everflow account "${now?.name}" is now active.`);
  return true;
}

/** Remove Account / Clear Key: asks which (when there are several) and confirms. */
export async function removeAccount(services: Services, args?: { account?: string; confirm?: boolean }): Promise<boolean> {
  const { accounts, logger } = services;
  const all = await accounts.list();
  if (!all.length) {
    void showInfo('No Everflow account is set up.');
    return false;
  }
  let target = args?.account !== undefined ? all.find((a) => a.name === args.account || a.id === args.account) : undefined;
  if (args?.account !== undefined && !target) throw new UserFacingError(`There is no Everflow account called "${args.account}".`);
  if (!target) {
    const active = await accounts.active();
    if (all.length === 1) target = all[0];
    else {
      const pick = await vscode.window.showQuickPick(
        all.map((a) => ({ label: a.name, description: a.id === active?.id ? 'active' : undefined, account: a })),
        { title: 'Remove Everflow Account', placeHolder: 'Choose the account whose key to remove' },
      );
      if (!pick) return false;
      target = pick.account;
    }
  }
  if (args?.confirm !== false) {
    const choice = await showWarning(
      `Remove the Everflow account "${target.name}" and delete its API key from this machine?`,
      { modal: true },
      'Remove',
    );
    if (choice !== 'Remove') return false;
  }
  await accounts.remove(target.id);
  logger.info(`Account "${target.name}" and its key were removed.`);
  void showInfo(`Everflow account "${target.name}" removed; its key is deleted.`);
  return true;
}
