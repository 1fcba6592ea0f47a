//! A visit's progress reports merged in any order, twice, or replayed end in the same state
//! (`merge_progress` is documented as commutative and idempotent), that state is the one the
//! documentation describes, and no single merge moves the status backwards.
#![no_main]

use chrono::{DateTime, Utc};
use domain::visit::{merge_progress, Progress};
use domain::VisitStatus;
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

const STATUSES: [VisitStatus; 5] = [
    VisitStatus::Scheduled,
    VisitStatus::EnRoute,
    VisitStatus::OnSite,
    VisitStatus::Done,
    VisitStatus::Skipped,
];
/// Skip reasons as devices send them, including ones validation would refuse: the merge itself
/// must still be order-independent for them.
const REASONS: [Option<&str>; 7] = [
    None,
    Some("Customer not home"),
    Some("Customer not home "),
    Some("Gate locked"),
    Some("Dog in the yard"),
    Some(""),
    Some("Ünterminated café"),
];
/// 2020-01-01T00:00:00Z; report times fall in the ten years after it.
const FROM: i64 = 1_577_836_800;
const SPAN_SECS: i64 = 10 * 366 * 86_400;
const MAX_REPORTS: usize = 10;

#[derive(Clone, Debug)]
struct Report {
    status: VisitStatus,
    at: DateTime<Utc>,
    skip_reason: Option<String>,
}

#[derive(Debug)]
struct Case {
    start: Progress,
    reports: Vec<Report>,
    /// Another order of the same reports, chosen by the input.
    shuffled: Vec<Report>,
}

fn time(u: &mut Unstructured) -> Result<DateTime<Utc>> {
    let secs = FROM + u.int_in_range(0..=SPAN_SECS)?;
    let nanos = if u.ratio(1, 4)? {
        u.int_in_range(0..=999_999_999)?
    } else {
        0
    };
    Ok(DateTime::from_timestamp(secs, nanos).expect("a time within the decade"))
}

fn reason(u: &mut Unstructured) -> Result<Option<String>> {
    Ok(u.choose(&REASONS)?.map(String::from))
}

fn case(u: &mut Unstructured) -> Result<Case> {
    let start = Progress {
        status: *u.choose(&STATUSES)?,
        arrived_at: if u.arbitrary()? { Some(time(u)?) } else { None },
        departed_at: if u.arbitrary()? { Some(time(u)?) } else { None },
        skip_reason: reason(u)?,
    };
    let count = u.int_in_range(0..=MAX_REPORTS)?;
    let mut reports = Vec::with_capacity(count);
    for _ in 0..count {
        reports.push(Report {
            status: *u.choose(&STATUSES)?,
            at: time(u)?,
            skip_reason: reason(u)?,
        });
    }
    let mut shuffled = reports.clone();
    for i in (1..shuffled.len()).rev() {
        // Past the end of the input this is 0: the order stays as it is, which is fine.
        let j = u.int_in_range(0..=i)?;
        shuffled.swap(i, j);
    }
    Ok(Case {
        start,
        reports,
        shuffled,
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(case) = case(&mut Unstructured::new(data)) else {
        return;
    };
    let merge_all = |reports: &mut dyn Iterator<Item = &Report>| {
        reports.fold(case.start.clone(), |before, r| {
            let after = merge_progress(before.clone(), r.status, r.at, r.skip_reason.clone());
            never_backwards(&before, r, &after);
            after
        })
    };
    let in_order = merge_all(&mut case.reports.iter());
    let orders = [
        ("reversed", merge_all(&mut case.reports.iter().rev())),
        (
            "each twice",
            merge_all(&mut case.reports.iter().flat_map(|r| [r, r])),
        ),
        (
            "replayed",
            merge_all(&mut case.reports.iter().chain(&case.reports)),
        ),
        ("shuffled", merge_all(&mut case.shuffled.iter())),
    ];
    for (how, merged) in orders {
        assert_eq!(
            merged, in_order,
            "merged {how} differs from in order: {case:#?}"
        );
    }
    as_documented(&case, &in_order);
});

/// Done above skipped above on site above en route above scheduled (the work happened).
fn order(status: VisitStatus) -> u8 {
    match status {
        VisitStatus::Scheduled => 0,
        VisitStatus::EnRoute => 1,
        VisitStatus::OnSite => 2,
        VisitStatus::Skipped => 3,
        VisitStatus::Done => 4,
    }
}

/// One merge keeps or advances the status, and forgets no time or reason it had.
fn never_backwards(before: &Progress, report: &Report, after: &Progress) {
    let step = || format!("{before:?} + {report:?} -> {after:?}");
    assert!(
        after.status.rank() >= before.status.rank(),
        "status moved back: {}",
        step()
    );
    assert!(
        order(after.status) >= order(before.status),
        "a finished visit changed its outcome: {}",
        step()
    );
    assert!(
        after.status == before.status || after.status == report.status,
        "status came from nowhere: {}",
        step()
    );
    let kept = |a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>| match (a, b) {
        (Some(a), Some(b)) => b <= a,
        (Some(_), None) => false,
        (None, _) => true,
    };
    assert!(
        kept(before.arrived_at, after.arrived_at),
        "arrival: {}",
        step()
    );
    assert!(
        kept(before.departed_at, after.departed_at),
        "departure: {}",
        step()
    );
    assert!(
        before.skip_reason.is_none() || after.skip_reason.is_some(),
        "skip reason lost: {}",
        step()
    );
}

/// The most advanced status, the earliest arrival and departure, and one of the skip reasons.
fn as_documented(case: &Case, merged: &Progress) {
    let status = case
        .reports
        .iter()
        .map(|r| r.status)
        .chain([case.start.status])
        .max_by_key(|s| order(*s))
        .expect("the start at least");
    let earliest = |start: Option<DateTime<Utc>>, of: VisitStatus| {
        case.reports
            .iter()
            .filter(|r| r.status == of)
            .map(|r| r.at)
            .chain(start)
            .min()
    };
    let reasons: Vec<&String> = case
        .reports
        .iter()
        .filter(|r| r.status == VisitStatus::Skipped)
        .filter_map(|r| r.skip_reason.as_ref())
        .chain(&case.start.skip_reason)
        .collect();
    assert_eq!(merged.status, status, "{case:#?}");
    assert_eq!(
        merged.arrived_at,
        earliest(case.start.arrived_at, VisitStatus::OnSite),
        "{case:#?}"
    );
    assert_eq!(
        merged.departed_at,
        earliest(case.start.departed_at, VisitStatus::Done),
        "{case:#?}"
    );
    match &merged.skip_reason {
        None => assert!(reasons.is_empty(), "skip reason lost: {case:#?}"),
        Some(reason) => assert!(
            reasons.contains(&reason),
            "skip reason from nowhere: {case:#?}"
        ),
    }
}
