/** `web-shop` -> `WebShop`, `orders.submit` -> `OrdersSubmit`: construct ids are PascalCase. */
export function pascal(name: string): string {
  return name
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}
