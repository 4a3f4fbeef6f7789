"""One source for states: the strings appraisal.rules works with (bands, score statuses, survey scales, record-
accuracy marks, discipline kinds) are the models' choices. No database."""

from appraisal import rules
from appraisal.models import Band, Scale, ScoreStatus
from logbook.models import Accuracy, DisciplineKind


def test_bands_and_score_statuses_are_the_models():
    assert (rules.EXCELLENT, rules.GOOD, rules.AVERAGE, rules.POOR) == (
        Band.EXCELLENT,
        Band.GOOD,
        Band.AVERAGE,
        Band.POOR,
    )
    assert (rules.RATED, rules.NO_DUTY, rules.UNRATED) == (ScoreStatus.RATED, ScoreStatus.NO_DUTY, ScoreStatus.UNRATED)
    assert sorted(Band.values) == sorted([rules.EXCELLENT, rules.GOOD, rules.AVERAGE, rules.POOR])
    assert sorted(ScoreStatus.values) == sorted([rules.RATED, rules.NO_DUTY, rules.UNRATED])


def test_points_tables_name_every_scale_mark_and_discipline_kind():
    assert sorted(rules.SATISFIED_FROM) == sorted(Scale.values)
    assert sorted(rules.ACCURACY_POINTS) == sorted(Accuracy.values)
    assert sorted(rules.DISCIPLINE_POINTS) == sorted(DisciplineKind.values)
