using System.Data.Common;
using Determinant.Master.Data;
using Determinant.Master.Errors;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.CoreApi;

/// <summary>
/// Writes a batch of training reports in one transaction (group commit). Should any statement fail, the batch is rolled
/// back and each report is written again in its own transaction, so one bad report (its trial was deleted) fails alone.
/// </summary>
internal sealed partial class MetricBatchWriter(IServiceScopeFactory scopes, ILogger<MetricBatchWriter> logger)
{
    private MetricUpsertSql? _sql;

    public async Task WriteAsync(IReadOnlyList<PendingMetricReport> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var live = batch.Where(r => !r.IsDone).ToList();
        if (live.Count == 0)
            return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
        try
        {
            var stored = await WriteInOneTransactionAsync(db, live, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < live.Count; i++)
                live[i].Stored(stored[i]);
            return;
        }
        catch (DbException e) when (live.Count > 1)
        {
            LogBatchFailed(logger, live.Count, e);
        }
        foreach (var report in live)
        {
            try
            {
                report.Stored((await WriteInOneTransactionAsync(db, [report], cancellationToken).ConfigureAwait(false))[0]);
            }
            catch (DbException e)
            {
                report.Failed(await ExplainAsync(db, report, e, cancellationToken).ConfigureAwait(false));
            }
        }
    }

    private async Task<bool[]> WriteInOneTransactionAsync(MasterDbContext db, List<PendingMetricReport> reports, CancellationToken cancellationToken)
    {
        var sql = _sql ??= MetricUpsertSql.For(db);
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = db.Database.GetDbConnection();
            if (sql.IsSqlite)
                await SynchronousNormalAsync(connection, cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var upsert = sql.Upsert(connection, transaction);
            var stored = new bool[reports.Count];
            var maxSteps = new Dictionary<int, long>();
            for (var i = 0; i < reports.Count; i++)
            {
                var r = reports[i];
                MetricUpsertSql.Bind(upsert, r);
                stored[i] = await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
                maxSteps[r.TrialId] = Math.Max(maxSteps.GetValueOrDefault(r.TrialId), r.StepsCompleted);
            }
            await using var advance = sql.AdvanceTotalBatches(connection, transaction);
            foreach (var (trialId, steps) in maxSteps)
            {
                advance.Parameters[0].Value = trialId;
                advance.Parameters[1].Value = steps;
                await advance.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return stored;
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Under WAL, NORMAL syncs at checkpoints instead of at every commit: a commit survives a crash of the master, and
    /// only an OS crash or power loss can lose the last ones. Set per connection; the pooled connection keeps it.
    /// </summary>
    private static async Task SynchronousNormalAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous = NORMAL";
        await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A report of a trial that is gone answers 404; anything else is the database's own error.</summary>
    private static async Task<Exception> ExplainAsync(MasterDbContext db, PendingMetricReport report, DbException error, CancellationToken cancellationToken)
    {
        var exists = await db.Trials.AsNoTracking().AnyAsync(t => t.Id == report.TrialId, cancellationToken).ConfigureAwait(false);
        return exists ? error : new NotFoundException($"trial {report.TrialId} not found");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} metric reports failed; writing them one by one")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);
}
