using System.Net;
using System.Net.Mail;
using System.Text;

namespace Scoring.Service.Handoffs.Senders;

/// <summary>
/// An e-mail over SMTP (STARTTLS unless the server is loopback; the password from a file) to the destination's
/// recipients, with the hand-off in words and its idempotency key in <c>X-Idempotency-Key</c>.
/// </summary>
internal sealed class EmailSender : IHandoffSender
{
    public string Kind => HandoffDestinationKinds.Email;

    public async Task<DeliveryResult> SendAsync(HandoffDestination destination, HandoffPayload payload, string json, CancellationToken cancellationToken)
    {
        var settings = destination.Settings;
        using var message = new MailMessage
        {
            From = new MailAddress(settings.From!),
            Subject = HandoffText.Subject(payload),
            Body = HandoffText.Body(payload),
            BodyEncoding = Encoding.UTF8,
            SubjectEncoding = Encoding.UTF8,
        };
        foreach (var to in settings.To)
        {
            message.To.Add(to);
        }

        message.Headers.Add("X-Idempotency-Key", payload.Id);
        using var client = new SmtpClient(settings.SmtpHost, settings.SmtpPort)
        {
            EnableSsl = settings.StartTls,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            Timeout = 10_000,
            Credentials = settings.UserName is { } user ? new NetworkCredential(user, Encoding.UTF8.GetString(destination.Secret)) : null,
        };
        try
        {
            await client.SendMailAsync(message, cancellationToken);
            return DeliveryResult.Ok("SMTP 250");
        }
        catch (SmtpException ex)
        {
            var code = (int)ex.StatusCode;
            return DeliveryResult.Failed($"SMTP {code}", retry: code is < 500 or 552);
        }
    }
}
