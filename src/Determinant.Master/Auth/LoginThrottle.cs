using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Determinant.Master.Configuration;
using Determinant.Master.Errors;
using Microsoft.Extensions.Options;

namespace Determinant.Master.Auth;

/// <summary>
/// Failed logins per account (<c>login_failures_per_account</c>) and per client address
/// (<c>login_failures_per_address</c>) within <c>login_failure_window_seconds</c>. The address limit runs in ASP.NET
/// Core's rate-limiting middleware (<see cref="AddressPolicy"/>), before the request body is read; the account limit
/// in the login endpoint, which is the first to know the username. Unknown usernames count exactly as known ones do.
/// </summary>
internal sealed class LoginThrottle
{
    /// <summary>The rate-limiting policy of the routes that check a password.</summary>
    public const string AddressPolicy = "password-attempts";

    /// <summary>Attempts that may wait for a permit per key; beyond them a burst is refused at once.</summary>
    private const int QueueLimit = 64;

    public LoginThrottle(IOptions<MasterOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        var window = TimeSpan.FromSeconds(o.LoginFailureWindowSeconds);
        Accounts = new FailureLimiter(o.LoginFailuresPerAccount, window, QueueLimit, time, "this account");
        Addresses = new FailureLimiter(o.LoginFailuresPerAddress, window, QueueLimit, time, "this address");
    }

    public FailureLimiter Accounts { get; }

    public FailureLimiter Addresses { get; }

    /// <summary>Usernames in any case share one count, so that case variations buy no extra guesses.</summary>
    public static string AccountKey(string? username) => (username ?? "").ToLowerInvariant();

    /// <summary>An IPv4 address, or an IPv6 address's /64 (one host usually holds a whole /64).</summary>
    public static string AddressKey(IPAddress? address)
    {
        if (address is null)
            return "unknown";
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address))
            return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }

    /// <summary>Holds the account's permit for one attempt; a refusal throws 429 with the time left in the window.</summary>
    /// <exception cref="TooManyRequestsException">The account has used up its failures.</exception>
    public async Task<RateLimitLease> EnterAccountAsync(string? username, CancellationToken cancellationToken)
    {
        var lease = await Accounts.AcquireAsync(AccountKey(username), cancellationToken).ConfigureAwait(false);
        if (lease.IsAcquired)
            return lease;
        using (lease)
            throw Refusal(lease);
    }

    /// <summary>Counts a wrong password against the account and the caller's address.</summary>
    public void Failed(HttpContext context, string? username)
    {
        ArgumentNullException.ThrowIfNull(context);
        Accounts.RecordFailure(AccountKey(username));
        Addresses.RecordFailure(AddressKey(context.Connection.RemoteIpAddress));
    }

    /// <summary>The account's owner got in: its earlier failures are forgotten (the address's are not).</summary>
    public void Succeeded(string? username) => Accounts.Reset(AccountKey(username));

    /// <summary>The 429 a refused lease stands for: its reason and the seconds left.</summary>
    public static TooManyRequestsException Refusal(RateLimitLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : TimeSpan.FromSeconds(1);
        var reason = lease.TryGetMetadata(MetadataName.ReasonPhrase, out var phrase) && phrase is not null ? phrase : "too many login attempts";
        return new TooManyRequestsException($"{reason}; try again in {TooManyRequestsException.Seconds(retryAfter)} s", retryAfter);
    }
}
