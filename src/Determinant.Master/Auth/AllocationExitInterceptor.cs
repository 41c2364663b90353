using System.Data.Common;
using System.Runtime.CompilerServices;
using Determinant.Master.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace Determinant.Master.Auth;

/// <summary>
/// Tells <see cref="AllocationTokenCache"/> that an allocation ended, once the change that ended it is committed: at
/// once for a save outside a transaction, else when its transaction commits (before that, other connections still
/// read the allocation as live and could cache it again).
/// </summary>
internal sealed class AllocationExitInterceptor(AllocationTokenCache cache) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, object> _savingExits = [];
    private readonly ConditionalWeakTable<DbTransaction, object> _committingExits = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (_committingExits.Remove(transaction))
            cache.AllocationEnded();
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionCommitted(transaction, eventData);
        return Task.CompletedTask;
    }

    private void Note(DbContext? context)
    {
        if (context is null)
            return;
        foreach (var entry in context.ChangeTracker.Entries<AllocationEntity>())
        {
            var ends = entry.State == EntityState.Deleted || (entry.State == EntityState.Modified
                && entry.Entity.State == AllocationState.Terminated && entry.Property(a => a.State).OriginalValue != AllocationState.Terminated);
            if (ends)
            {
                _savingExits.AddOrUpdate(context, this);
                return;
            }
        }
    }

    private void Saved(DbContext? context)
    {
        if (context is null || !_savingExits.Remove(context))
            return;
        if (context.Database.CurrentTransaction?.GetDbTransaction() is { } transaction)
            _committingExits.AddOrUpdate(transaction, this);
        else
            cache.AllocationEnded();
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
            _savingExits.Remove(context);
    }
}
