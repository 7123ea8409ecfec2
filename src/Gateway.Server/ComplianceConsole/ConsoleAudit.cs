using Gateway.Compliance.Audit;
using Gateway.Server.Auditing;
using Gateway.Server.Practices;

namespace Gateway.Server.ComplianceConsole;

/// <summary>
/// Writes every console request to the audit log like an admin API call: the key's name and role, the
/// surface, method, page, handler, the practice when it is a configured one, and the status. Never a query
/// value or form value besides those: a patient identifier typed into a form never reaches the log.
/// Changes (POST) are appended durably; page views are enqueued.
/// </summary>
internal sealed class ConsoleAudit(RequestDelegate next, IAuditLog audit, PracticeDirectory practices)
{
    public const string Surface = "console";

    public async Task InvokeAsync(HttpContext http)
    {
        ConsoleSecurityHeaders.Apply(http.Response);
        http.Response.OnStarting(() =>
        {
            ConsoleSecurityHeaders.Apply(http.Response);
            return Task.CompletedTask;
        });
        if (!http.Request.IsHttps && http.Connection.RemoteIpAddress is { } remote && !System.Net.IPAddress.IsLoopback(remote))
        {
            // Fail closed: a session cookie and admin actions never travel unencrypted over a network.
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.Response.WriteAsync("The compliance console needs HTTPS (plain HTTP is allowed on loopback only).");
            audit.Enqueue(Record(http, practices));
            return;
        }

        if (ConsoleAssets.IsAsset(http.Request.Path))
        {
            await next(http);
            return;
        }

        await next(http);
        if (!http.Response.HasStarted && http.Response.StatusCode >= 400 && http.Response.ContentLength is null)
        {
            // A refusal without a page of its own (a missing anti-forgery token, a role, an unknown page): said plainly, not as an ingest problem.
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync(http.Response.StatusCode switch
            {
                StatusCodes.Status400BadRequest => "Refused: the form expired or did not come from this console (anti-forgery check). Go back, reload the page and try again.",
                StatusCodes.Status403Forbidden => "Refused: this needs a key with the admin role.",
                StatusCodes.Status404NotFound => "No such console page.",
                _ => "The console could not do this; nothing was changed.",
            });
        }

        var record = Record(http, practices);
        if (HttpMethods.IsPost(http.Request.Method))
        {
            await audit.AppendAsync([record], http.RequestAborted);
        }
        else
        {
            audit.Enqueue(record);
        }
    }

    /// <summary>An audit record of a console action, written before the action's effect where it reveals data.</summary>
    public static byte[] Action(HttpContext http, string action, string practice, long? entry = null, string? reason = null) => GatewayAuditRecords.Write(writer =>
    {
        Common(writer, http);
        writer.WriteString("action", action);
        writer.WriteString("practice", practice);
        if (entry is { } id)
        {
            writer.WriteNumber("entry", id);
        }

        if (reason is not null)
        {
            writer.WriteString("reason", reason);
        }
    });

    private static byte[] Record(HttpContext http, PracticeDirectory practices) => GatewayAuditRecords.Write(writer =>
    {
        Common(writer, http);
        var handler = http.Request.Query["handler"].ToString();
        if (handler.Length is > 0 and <= 40 && handler.All(char.IsAsciiLetter))
        {
            writer.WriteString("handler", handler);
        }

        var practice = http.Request.Query["practice"].ToString();
        if (practice.Length == 0 && http.Request.HasFormContentType && http.Request.Form.TryGetValue("practice", out var form))
        {
            practice = form.ToString();
        }

        if (practice.Length > 0 && practices.TryGet(practice, out _))
        {
            writer.WriteString("practice", practice);
        }

        writer.WriteNumber("status", http.Response.StatusCode);
    });

    private static void Common(System.Text.Json.Utf8JsonWriter writer, HttpContext http)
    {
        writer.WriteString(AuditJson.Kind, AuditKinds.Admin);
        writer.WriteString("surface", Surface);
        writer.WriteString("key", http.User.KeyName());
        writer.WriteString("role", http.User.Role());
        writer.WriteString("method", http.Request.Method);
        writer.WriteString("route", http.GetEndpoint() is RouteEndpoint endpoint ? "/" + endpoint.RoutePattern.RawText?.TrimStart('/') : "/console");
    }
}
