using System.Threading.RateLimiting;

namespace Determinant.Master.Auth;

internal sealed partial class FailureLimiter
{
    /// <summary>A permit held while an attempt runs (given back when disposed), or a refusal with its retry time and reason.</summary>
    private sealed class Lease(FailureLimiter owner, string key, bool acquired) : RateLimitLease
    {
        private int _released;

        public override bool IsAcquired { get; } = acquired;

        public TimeSpan? RetryAfter { get; init; }

        public string? Reason { get; init; }

        public override IEnumerable<string> MetadataNames
        {
            get
            {
                if (RetryAfter is not null)
                    yield return MetadataName.RetryAfter.Name;
                if (Reason is not null)
                    yield return MetadataName.ReasonPhrase.Name;
            }
        }

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? RetryAfter
                : metadataName == MetadataName.ReasonPhrase.Name ? Reason
                : null;
            return metadata is not null;
        }

        protected override void Dispose(bool disposing)
        {
            if (IsAcquired && Interlocked.Exchange(ref _released, 1) == 0)
                owner.Release(key);
            base.Dispose(disposing);
        }
    }

    /// <summary>One key's view of the limiter; it holds no state of its own, so the middleware may drop and remake it freely.</summary>
    private sealed class KeyLimiter(FailureLimiter owner, string key) : RateLimiter
    {
        public override TimeSpan? IdleDuration => owner.IdleDuration(key);

        public override RateLimiterStatistics? GetStatistics() => owner.Statistics(key);

        protected override RateLimitLease AttemptAcquireCore(int permitCount)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, 1);
            return owner.AttemptAcquire(key);
        }

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, 1);
            return owner.AcquireAsync(key, cancellationToken);
        }
    }
}
