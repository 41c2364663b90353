using System.Text.Json.Serialization;

namespace Determinant.Protocol.CoreApi;

/// <summary>Train until the trial's total training equals <paramref name="Length"/> searcher units, then validate.</summary>
/// <param name="Length">The absolute target in the searcher's unit; sent as a string (a uint64).</param>
public sealed record ValidateAfterOperation(
    [property: JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)] ulong Length);
