import { useEffect, useId, useRef, useState } from 'react';
import { Link, useLocation } from 'react-router';
import type { Workspace } from '../api/types';
import { ROLE_LABELS, asRole, withArticle } from '../lib/roles';
import { switchPath } from '../lib/workspacePaths';
import { CreateWorkspaceDialog } from './CreateWorkspaceDialog';

/**
 * The header's workspace menu: the current workspace's name; opened, the caller's
 * workspaces (each link keeps the section: customers → the other's customers) and
 * "Create workspace". Escape or a click elsewhere closes it.
 */
export function WorkspaceSwitcher({
  workspaces,
  current,
  canCreate,
}: {
  workspaces: Workspace[];
  current?: Workspace;
  canCreate: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [creating, setCreating] = useState(false);
  const { pathname } = useLocation();
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const label = current ? current.name : 'Choose a workspace';
  return (
    <div
      className="ws-switcher"
      ref={root}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          setOpen(false);
          button.current?.focus();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        className="ws-switcher-btn"
        aria-expanded={open}
        aria-controls={menuId}
        aria-label={`Workspace: ${label}`}
        title={current ? `${current.name}: you are ${withArticle(asRole(current.role))} here` : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="ws-switcher-name">{label}</span>
        {current && <span className="ws-switcher-role">{ROLE_LABELS[asRole(current.role)]}</span>}
        <span aria-hidden="true" className="ws-switcher-caret">
          ▾
        </span>
      </button>
      {open && (
        <div className="ws-menu" id={menuId}>
          <nav aria-label="Workspaces">
            <ul>
              {workspaces.map((w) => (
                <li key={w.id}>
                  <Link
                    to={switchPath(pathname, w.slug)}
                    aria-current={w.id === current?.id ? 'true' : undefined}
                    onClick={() => setOpen(false)}
                  >
                    <span className="ws-menu-name">{w.name}</span>
                    <span className="ws-menu-role">{ROLE_LABELS[asRole(w.role)]}</span>
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          {canCreate && (
            <button
              type="button"
              className="ws-menu-create"
              onClick={() => {
                setOpen(false);
                setCreating(true);
              }}
            >
              <span aria-hidden="true">+ </span>Create workspace
            </button>
          )}
        </div>
      )}
      {creating && <CreateWorkspaceDialog onClose={() => setCreating(false)} />}
    </div>
  );
}
