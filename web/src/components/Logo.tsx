export function Logo() {
  return (
    <svg aria-hidden="true" width="24" height="24" viewBox="0 0 64 64" className="logo">
      <rect width="64" height="64" rx="14" fill="#2f5d50" />
      <rect x="14" y="14" width="16" height="16" rx="3" fill="#f4efe6" />
      <rect x="34" y="14" width="16" height="16" rx="3" fill="#e9b949" />
      <rect x="14" y="34" width="16" height="16" rx="3" fill="#e9b949" />
      <rect x="34" y="34" width="16" height="16" rx="3" fill="#f4efe6" />
    </svg>
  );
}
