"""Storage: companies, append-only profile versions, screening runs and their decisions.

The store's public functions, all taking a SQLAlchemy `session` (or, where each batch must
commit on its own, a sessionmaker); only CLI commands and views open sessions and commit:
    make_engine(url=None)                         DATABASE_URL, else instance/subsidy.db
    upgrade(engine) / downgrade(engine, rev)       the Alembic migrations
    import_file(session, path, entered_by, source) -> ImportReport   (engine.intake reads files)
    add_profiles(session, profiles, entered_by, source)             append-only versions
    start_run(session, catalog, profile_ids, as_of, items, by, selection) -> Run
    process_run(sessionmaker, run_id, workers=, batch_size=, progress=) -> Run  (also resumes)
    iter_run_records(session, run_id, company=None), run_metadata(session, run_id)  for exports
    run_changes(sessionmaker, run_a, run_b)      what changed, with the criteria
    result_page(session, run_id, filter, page)   one filtered, sorted page of a run (results.py)
    sign_off(session, run, by) / signoff_of      a run's sign-off, after which it is read-only
    create_user / authenticate / create_token / user_for_token / recent_failures   (accounts.py)
    seed_demo(session)                           seed profiles and demo users, idempotent (demo.py)
Models live in engine.store.models; engine.budget computes budget impact from decision dicts.
"""
