/** The rows of the IP allow-list report: one per account and source address. */
export interface AddressesSeenTable {
  account_id: string;
  address: string;
  first_seen_at: string;
  last_seen_at: string;
  requests: number;
  allowed: number;
  denied: number;
}

export interface AddressesSeenTables {
  addresses_seen: AddressesSeenTable;
}
