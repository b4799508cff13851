// Loading, empty and error states shared by every page; errors show the server's own message.

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {what}…
    </div>
  );
}

export function Empty({ children }: { children: React.ReactNode }) {
  return <div className="state state-empty" data-testid="empty">{children}</div>;
}

export function ErrorBox({ message }: { message: string }) {
  return (
    <div className="state state-error" role="alert" data-testid="error">
      <strong>Request failed.</strong> <span className="error-text">{message}</span>
    </div>
  );
}
