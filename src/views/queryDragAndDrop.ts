import * as vscode from 'vscode';
import type { QueryScope } from '../storage/queryScopeStore';
import type { QueryTreeNode } from './queryTreeNodes';

// Drag queries and folders onto a folder, a scope or another query (meaning: its folder), within a
// scope or across scopes. Only ids travel in the data transfer; the move re-reads both files.

const MIME = 'application/vnd.code.tree.everflow.savedqueries';

export type DragItem = { type: 'query'; scope: QueryScope; id: string } | { type: 'folder'; scope: QueryScope; path: string };

export interface DropTarget {
  scope: QueryScope;
  /** undefined: the scope's top level. */
  folder: string | undefined;
}

export type MoveHandler = (items: DragItem[], target: DropTarget) => Promise<void>;

/** Where a drop on `node` puts things. */
export function dropTargetOf(node: QueryTreeNode | undefined): DropTarget | undefined {
  if (!node) return undefined;
  switch (node.kind) {
    case 'scope':
      return { scope: node.scope, folder: undefined };
    case 'folder':
      return { scope: node.scope, folder: node.path };
    case 'query':
    case 'filter':
      return { scope: node.scope, folder: node.query.folder };
    default:
      return undefined;
  }
}

export class QueryDragAndDrop implements vscode.TreeDragAndDropController<QueryTreeNode> {
  readonly dragMimeTypes = [MIME];
  readonly dropMimeTypes = [MIME];

  constructor(private readonly move: MoveHandler) {}

  handleDrag(source: readonly QueryTreeNode[], data: vscode.DataTransfer): void {
    const items: DragItem[] = [];
    for (const node of source) {
      if (node.kind === 'query') items.push({ type: 'query', scope: node.scope, id: node.query.id });
      else if (node.kind === 'folder') items.push({ type: 'folder', scope: node.scope, path: node.path });
    }
    if (items.length) data.set(MIME, new vscode.DataTransferItem(JSON.stringify(items)));
  }

  async handleDrop(target: QueryTreeNode | undefined, data: vscode.DataTransfer): Promise<void> {
    const destination = dropTargetOf(target);
    const raw = data.get(MIME);
    if (!destination || !raw) return;
    const items = JSON.parse(await raw.asString()) as DragItem[];
    await this.move(items, destination);
  }
}
