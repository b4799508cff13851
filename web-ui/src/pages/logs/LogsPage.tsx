export function LogsPage() { return <div>logs</div>; }
