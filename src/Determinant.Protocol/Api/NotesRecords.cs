namespace Determinant.Protocol.Api;

/// <summary>
/// <c>PATCH /api/v1/trials/{id}</c>: the trial's notes (at most <see cref="NotesLimits.MaxBytes"/> bytes of UTF-8; an
/// empty string clears them, null leaves them as they are).
/// </summary>
public sealed record PatchTrialRequest(string? Notes = null);

/// <summary>The limits on experiment and trial notes.</summary>
public static class NotesLimits
{
    /// <summary>The longest notes the master stores: 64 KiB of UTF-8.</summary>
    public const int MaxBytes = 64 * 1024;
}
