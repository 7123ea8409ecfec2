using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Service.Defaults;

/// <summary>
/// Where a service finds its files, wherever it is started from. The content root (where <c>appsettings.json</c>
/// is read) is the app's own folder unless one is given explicitly (<c>--contentRoot</c>, <c>ASPNETCORE_CONTENTROOT</c>
/// or <c>DOTNET_CONTENTROOT</c>), so the shipped settings (YARP health checks, log levels) are always in force.
/// Relative paths in settings (data, policies, secret files) are relative to the working directory the service was
/// started in, as an operator typing them on a command line expects.
/// </summary>
public static class ServiceHost
{
    /// <summary>The builder, with the content root as above; a service launched by the DevStack also watches its launcher.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = ExplicitContentRoot(args) is null ? AppContext.BaseDirectory : null });
        if (ParentWatch.ParentFromEnvironment() is { } parent)
        {
            builder.Services.AddHostedService(sp => new ParentWatch(parent, sp.GetRequiredService<IHostApplicationLifetime>()));
        }

        return builder;
    }

    /// <summary>The content root given on the command line or in the environment, if any.</summary>
    public static string? ExplicitContentRoot(string[] args) =>
        new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(args)
            .Build()[HostDefaults.ContentRootKey];

    /// <summary>A path from the settings as an absolute path (relative ones against the working directory).</summary>
    public static string ResolvePath(string path) => Path.GetFullPath(path);

    /// <summary>The folder relative paths in settings are resolved against.</summary>
    public static string WorkingDirectory => Environment.CurrentDirectory;
}
