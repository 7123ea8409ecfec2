using System.Globalization;
using System.Security.Claims;
using Gateway.Server.Admin;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Server.ComplianceConsole;

/// <summary>
/// The compliance console: server-rendered Razor Pages under <c>/console</c> on the admin surface (the admin
/// port when one is set), signed in with an admin key. The session is an encrypted, HttpOnly, Secure,
/// SameSite=Strict cookie limited to <c>/console</c> that expires when idle and after a fixed time; every
/// change carries an anti-forgery token. See SECURITY.md.
/// </summary>
internal static class ConsoleRegistration
{
    public const string CookieName = "__Secure-gateway-console";

    public static IServiceCollection AddComplianceConsole(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConsoleOptions>().Bind(configuration.GetSection(ConsoleOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConsoleOptions>, ConsoleOptionsValidator>());
        var options = configuration.GetSection(ConsoleOptions.SectionName).Get<ConsoleOptions>() ?? new ConsoleOptions();

        services.AddRazorPages(pages =>
        {
            pages.RootDirectory = "/ComplianceConsole/Pages";
            pages.Conventions.AuthorizeFolder("/", ConsoleRoles.Reader);
            pages.Conventions.AllowAnonymousToPage("/SignIn");
        });
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "gateway-console-af";
            antiforgery.Cookie.Path = "/console";
            // Secure on every HTTPS request; the console refuses plain HTTP except on loopback (ConsoleAudit).
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.HttpOnly = true;
            antiforgery.FormFieldName = "__csrf";
            antiforgery.HeaderName = null;
        });

        // No default scheme: only console endpoints authenticate, with this cookie; ingest and the admin API never do.
        services.AddAuthentication().AddCookie(ConsoleRoles.Scheme, cookie =>
        {
            cookie.Cookie.Name = CookieName;
            cookie.Cookie.Path = "/console";
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.IsEssential = true;
            cookie.ExpireTimeSpan = TimeSpan.FromMinutes(options.IdleMinutes);
            cookie.SlidingExpiration = true;
            cookie.LoginPath = "/console/sign-in";
            cookie.LogoutPath = "/console/sign-out";
            cookie.AccessDeniedPath = "/console/denied";
            cookie.ReturnUrlParameter = "returnUrl";
            cookie.Events.OnValidatePrincipal = context => ValidateSessionAsync(context, options);
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(ConsoleRoles.Reader, policy => policy.AddAuthenticationSchemes(ConsoleRoles.Scheme).RequireRole(AdminIdentity.AdminRole, AdminIdentity.ComplianceRole))
            .AddPolicy(ConsoleRoles.Changer, policy => policy.AddAuthenticationSchemes(ConsoleRoles.Scheme).RequireRole(AdminIdentity.AdminRole));

        services.AddSingleton<ConsoleSubjectTokens>();
        services.AddSingleton<AuditVerificationRuns>();
        services.AddSingleton<PolicyVersionHistory>();
        services.AddSingleton<ConsoleOverview>();
        return services;
    }

    /// <summary>Authentication and authorization (console endpoints only), console headers and audit: call after routing.</summary>
    public static WebApplication UseComplianceConsole(this WebApplication app)
    {
        // The audit runs around authorization, so refused and redirected requests are recorded (and carry the headers) too.
        if (app.Services.GetRequiredService<IOptions<ConsoleOptions>>().Value.Enabled)
        {
            app.UseWhen(http => http.Request.Path.StartsWithSegments("/console"), branch => branch.UseMiddleware<ConsoleAudit>());
        }

        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    public static WebApplication MapComplianceConsole(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<ConsoleOptions>>().Value.Enabled)
        {
            return app;
        }

        app.Services.GetRequiredService<PolicyVersionHistory>().Observe();
        app.MapRazorPages();
        app.MapConsoleAssets();
        return app;
    }

    /// <summary>Ends a session past its absolute lifetime, whatever its activity.</summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context, ConsoleOptions options)
    {
        var time = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
        var signedIn = context.Principal?.FindFirstValue(ConsoleRoles.SignedInAt);
        if (signedIn is null || !long.TryParse(signedIn, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds) > TimeSpan.FromHours(options.MaxHours))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(ConsoleRoles.Scheme);
        }
    }
}
