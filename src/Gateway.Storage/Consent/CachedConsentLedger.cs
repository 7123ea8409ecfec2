using System.Collections.Concurrent;
using Gateway.Compliance.Consent;

namespace Gateway.Storage.Consent;

/// <summary>
/// The consent ledger with the latest records of recently seen subjects kept in memory, per practice, and checked
/// against the ledger's change feed (<see cref="RelationalConsentLedger.ChangesAsync"/>) on every read. A read costs one
/// indexed lookup of the practice's version instead of the records of every subject; when the version moved, the
/// subjects that changed are dropped from the cache first, whichever instance appended them. So a revocation
/// committed through any instance applies to the next event decided on every instance, as without the cache.
/// <para>
/// Fails closed as the ledger does: the version is read on every call, so a store that cannot be read fails the call
/// (<see cref="StoreUnavailableException"/>) even for subjects in the cache. A subject with no records is cached too
/// (most subjects have none). At most <c>capacity</c> subjects are kept over all practices; a practice whose entries
/// would pass it starts over empty. The cache holds pseudonymous subject ids and their consent records, in memory only.
/// </para>
/// </summary>
public sealed class CachedConsentLedger : IConsentLedger
{
    /// <summary>The default number of subjects kept (about 200 bytes each).</summary>
    public const int DefaultCapacity = 100_000;

    private readonly RelationalConsentLedger _ledger;
    private readonly int _capacity;
    private readonly ConcurrentDictionary<string, PracticeConsent> _practices = new(StringComparer.Ordinal);
    private int _count;
    private long _hits;
    private long _misses;

    /// <param name="capacity">Subjects kept over all practices; 0 reads every subject from the ledger.</param>
    public CachedConsentLedger(RelationalConsentLedger ledger, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _ledger = ledger;
        _capacity = capacity;
    }

    /// <summary>Subjects answered from the cache since start.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Subjects read from the ledger since start.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Subjects held now, over all practices.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Appends through the ledger, whose transaction bumps the practice's version: the next read drops the subjects.</summary>
    public Task<IReadOnlyList<ConsentRecord>> AppendAsync(IReadOnlyList<ConsentRecord> records, CancellationToken cancellationToken = default) =>
        _ledger.AppendAsync(records, cancellationToken);

    /// <summary>Always from the ledger: compliance officers read history, not the hot path.</summary>
    public Task<IReadOnlyList<ConsentRecord>> HistoryAsync(string practiceId, IReadOnlyCollection<string> subjects, CancellationToken cancellationToken = default) =>
        _ledger.HistoryAsync(practiceId, subjects, cancellationToken);

    /// <summary>The latest record per subject and purpose, oldest first, as <see cref="RelationalConsentLedger.CurrentAsync"/>.</summary>
    public async Task<IReadOnlyList<ConsentRecord>> CurrentAsync(string practiceId, IReadOnlyCollection<string> subjects, CancellationToken cancellationToken = default)
    {
        if (subjects.Count == 0)
        {
            return [];
        }

        if (_capacity == 0)
        {
            Interlocked.Add(ref _misses, subjects.Count);
            return await _ledger.CurrentAsync(practiceId, subjects, cancellationToken);
        }

        var practice = _practices.GetOrAdd(practiceId, static _ => new PracticeConsent());
        var known = practice.Version;
        var changes = await _ledger.ChangesAsync(practiceId, known < 0 ? null : known, cancellationToken);
        Interlocked.Add(ref _count, -practice.Advance(known, changes));

        var current = new List<ConsentRecord>();
        var missing = practice.Lookup(changes.Version, subjects, current);
        Interlocked.Add(ref _hits, subjects.Count - missing.Count);
        if (missing.Count > 0)
        {
            Interlocked.Add(ref _misses, missing.Count);
            var read = await _ledger.CurrentAsync(practiceId, missing, cancellationToken);
            current.AddRange(read);
            var fits = Volatile.Read(ref _count) + missing.Count <= _capacity;
            Interlocked.Add(ref _count, practice.Store(changes.Version, missing, read, fits));
        }

        current.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        return current;
    }

    /// <summary>One practice's cached subjects, valid at <see cref="Version"/> of its change feed (-1: not read yet).</summary>
    private sealed class PracticeConsent
    {
        private readonly Dictionary<string, ConsentRecord[]> _bySubject = new(StringComparer.Ordinal);
        private long _version = -1;

        public long Version
        {
            get
            {
                lock (_bySubject)
                {
                    return _version;
                }
            }
        }

        /// <summary>
        /// Moves the cache from <paramref name="known"/> to the version just read, dropping the subjects that changed
        /// in between. Nothing moves when another read moved it first (its changes may differ): reads at a version the
        /// cache is not at go to the ledger. Returns how many subjects were dropped.
        /// </summary>
        public int Advance(long known, ConsentChanges changes)
        {
            lock (_bySubject)
            {
                if (_version != known || changes.Version <= known)
                {
                    return 0;
                }

                var before = _bySubject.Count;
                foreach (var subject in changes.Subjects)
                {
                    _bySubject.Remove(subject);
                }

                _version = changes.Version;
                return before - _bySubject.Count;
            }
        }

        /// <summary>Adds the cached records of <paramref name="subjects"/> to <paramref name="found"/>; returns the subjects not cached at <paramref name="version"/>.</summary>
        public List<string> Lookup(long version, IReadOnlyCollection<string> subjects, List<ConsentRecord> found)
        {
            var missing = new List<string>();
            lock (_bySubject)
            {
                var usable = _version == version;
                foreach (var subject in subjects.Distinct(StringComparer.Ordinal))
                {
                    if (usable && _bySubject.TryGetValue(subject, out var records))
                    {
                        found.AddRange(records);
                    }
                    else
                    {
                        missing.Add(subject);
                    }
                }
            }

            return missing;
        }

        /// <summary>
        /// Keeps what was read for <paramref name="subjects"/> after <paramref name="version"/> was read, if the cache is
        /// still at that version (a later change may not be in the read). When the cache is full (<paramref name="fits"/>
        /// false) this practice starts over empty. Returns the change in the number of subjects held.
        /// </summary>
        public int Store(long version, IReadOnlyList<string> subjects, IReadOnlyList<ConsentRecord> read, bool fits)
        {
            lock (_bySubject)
            {
                if (_version != version)
                {
                    return 0;
                }

                var before = _bySubject.Count;
                if (!fits)
                {
                    _bySubject.Clear();
                    return -before;
                }

                var bySubject = read.GroupBy(r => r.Subject, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
                foreach (var subject in subjects)
                {
                    _bySubject[subject] = bySubject.TryGetValue(subject, out var records) ? records : [];
                }

                return _bySubject.Count - before;
            }
        }
    }
}
