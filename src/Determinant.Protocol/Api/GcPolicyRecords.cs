namespace Determinant.Protocol.Api;

/// <summary>
/// <c>PATCH /api/v1/experiments/{id}</c>: what may change after creation; null fields stay as they are. <c>notes</c>: the
/// experiment's notes (at most <see cref="NotesLimits.MaxBytes"/> bytes of UTF-8; an empty string clears them).
/// </summary>
public sealed record PatchExperimentRequest(CheckpointStoragePatch? CheckpointStorage = null, string? Notes = null);

/// <summary>The checkpoint GC policy of an experiment's <c>checkpoint_storage</c> (REFERENCE.md §4.4).</summary>
public sealed record CheckpointStoragePatch(int? SaveExperimentBest = null, int? SaveTrialBest = null, int? SaveTrialLatest = null);

/// <summary><c>GET /api/v1/experiments/{id}/preview_gc</c>: the checkpoints a GC with the given policy would delete.</summary>
public sealed record PreviewGcResponse(IReadOnlyList<CheckpointDto> Checkpoints);
