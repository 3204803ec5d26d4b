import { Type } from "typebox";
import { IP_ENFORCEMENT_MODES, MAX_ALLOWED_IPS } from "../../domain/ip-allow-list.ts";
import { Timestamp } from "./common.ts";
import { shared } from "./shared.ts";

export const IpRestrictionObject = Type.Object(
  {
    enforcement_mode: Type.Enum(IP_ENFORCEMENT_MODES),
    allowed_ips: Type.Array(Type.String({ maxLength: 64 }), {
      maxItems: MAX_ALLOWED_IPS,
      description: "IPv4/IPv6 addresses or CIDR ranges, at most 100",
    }),
  },
  { additionalProperties: false },
);

const MtlsEnforcementObject = Type.Object(
  {
    status: Type.Enum(["NOT_ENFORCED", "SCHEDULED", "ENFORCED"]),
    enforced_from: Type.Optional(Timestamp),
    mtls_enabled: Type.Boolean({ description: "The account has been issued a client certificate" }),
  },
  { additionalProperties: false },
);

const ClientCertificateObject = Type.Object(
  {
    certificate_id: Type.String({ format: "uuid" }),
    description: Type.String(),
    status: Type.Enum(["VALID", "EXPIRED", "REVOKED"]),
    serial_number: Type.String(),
    fingerprint_sha256: Type.String({ description: "Hex SHA-256 of the DER certificate" }),
    not_before: Timestamp,
    not_after: Timestamp,
    created_at: Timestamp,
    revoked_at: Type.Optional(Timestamp),
    certificate: Type.String({ description: "The signed certificate, PEM" }),
  },
  { additionalProperties: false },
);

export const CertificateIdParam = { certificate_id: Type.String({ format: "uuid" }) };

const AllowedOriginObject = Type.Object(
  {
    origin_id: Type.String({ format: "uuid" }),
    origin: Type.String({ description: "Normalised host[:port], *.host or *" }),
    scheme: Type.Enum(["http", "https"]),
    created_at: Timestamp,
  },
  { additionalProperties: false },
);

export const OriginIdParam = { origin_id: Type.String({ format: "uuid" }) };

export const IpRestrictionSchema = shared("IpRestriction", IpRestrictionObject);
export const MtlsEnforcementSchema = shared("MtlsEnforcement", MtlsEnforcementObject);
export const ClientCertificateSchema = shared("ClientCertificate", ClientCertificateObject);
export const AllowedOriginSchema = shared("AllowedOrigin", AllowedOriginObject);
