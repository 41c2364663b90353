using Microsoft.AspNetCore.Http.Metadata;

namespace Determinant.Master.Errors;

/// <summary>
/// The largest request body a route takes, and what sets it. As endpoint metadata it is ASP.NET Core's own
/// <see cref="IRequestSizeLimitMetadata"/>, which routing hands to Kestrel; <see cref="RequestBodyLimits"/> answers
/// a body declared too large before anything of it is read, and names the limit in every 413.
/// </summary>
/// <param name="Bytes">The limit.</param>
/// <param name="Setting">What sets it, named in the 413: a master option's key, or the constant's name.</param>
internal sealed record RequestBodyLimit(long Bytes, string Setting) : IRequestSizeLimitMetadata
{
    private const long KiB = 1024;
    private const long MiB = 1024 * KiB;

    /// <summary>Login, logout and user changes: a name and a password.</summary>
    public static RequestBodyLimit Small { get; } = new(64 * KiB, "RequestBodyLimit.Small");

    /// <summary>Every other API route unless it says otherwise.</summary>
    public static RequestBodyLimit Default { get; } = new(16 * MiB, "RequestBodyLimit.Default");

    /// <summary>Metric reports, task logs: a batch of up to 1024 reports (or 1000 log lines).</summary>
    public static RequestBodyLimit Reports { get; } = new(64 * MiB, "RequestBodyLimit.Reports");

    /// <summary>
    /// Routes that carry a model definition (experiments, commands, notebooks): its limit as base64 (4/3 of it) with
    /// 16 MiB for the config and the file records, so that an oversized definition gets the 400 that names its own limit.
    /// </summary>
    public static RequestBodyLimit ModelDefinition(int limitMib) =>
        new((limitMib * MiB * 4 / 3) + (16 * MiB), $"model_definition_limit_mib ({limitMib} MiB of files as base64, plus 16 MiB)");

    public long? MaxRequestBodySize => Bytes;
}
