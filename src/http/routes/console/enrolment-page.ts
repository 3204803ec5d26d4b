import type { FastifyReply, FastifyRequest } from "fastify";
import QRCode from "qrcode";
import type { AppError } from "../../../domain/errors.ts";
import { raw } from "../../console/html.ts";
import { enrolmentPage } from "../../console/views/sign-in-pages.ts";
import type { AppServices } from "../../types.ts";
import { sendPage } from "./console-pages.ts";

/**
 * The enrolment page with a newly offered TOTP secret: its QR code (an inline SVG the `qrcode`
 * package draws from the otpauth URI, presentation attributes only) and the secret as text.
 */
export async function sendEnrolmentPage(
  request: FastifyRequest,
  reply: FastifyReply,
  services: AppServices,
  token: string,
  error: AppError | null = null,
): Promise<FastifyReply> {
  const offered = await services.consoleIdentity.startEnrolment(token);
  const svg = await QRCode.toString(offered.otpauthUri, {
    type: "svg",
    margin: 2,
    errorCorrectionLevel: "M",
  });
  const qrSvg = raw(
    svg.replace(
      "<svg ",
      '<svg class="qr" role="img" aria-label="Image to scan with your authenticator app" ',
    ),
  );
  return sendPage(request, reply, {
    refusal: error,
    title: "Turn on two-factor sign-in",
    body: enrolmentPage(request, { secret: offered.secret, qrSvg, error }),
  });
}
