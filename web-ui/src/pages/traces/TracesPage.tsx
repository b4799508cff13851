export function TracesPage() { return <div>traces</div>; }
