/** `klarna` → `Klarna`: the prefix of the brand's own headers (Klarna-Correlation-Id…). */
export function headerPrefix(brand: string): string {
  return brand.charAt(0).toUpperCase() + brand.slice(1);
}
