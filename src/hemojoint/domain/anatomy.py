"""Joints and bleed sites, as stable codes shared by instruments, bleeds and triage.

Codes are the values (``left_ankle``); display labels belong to the i18n catalogue.
"""

from __future__ import annotations

from enum import StrEnum


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"


class IndexJoint(StrEnum):
    """The six index joints scored by HJHS and HEAD-US, in the HJHS form's order."""

    LEFT_ELBOW = "left_elbow"
    RIGHT_ELBOW = "right_elbow"
    LEFT_KNEE = "left_knee"
    RIGHT_KNEE = "right_knee"
    LEFT_ANKLE = "left_ankle"
    RIGHT_ANKLE = "right_ankle"

    @property
    def side(self) -> Side:
        return Side(self.value.split("_", 1)[0])

    @property
    def kind(self) -> str:
        """``elbow``, ``knee`` or ``ankle``."""
        return self.value.split("_", 1)[1]

    @property
    def opposite(self) -> IndexJoint:
        """The same joint on the other side.

        >>> IndexJoint.LEFT_KNEE.opposite
        <IndexJoint.RIGHT_KNEE: 'right_knee'>
        """
        other = Side.RIGHT if self.side is Side.LEFT else Side.LEFT
        return IndexJoint(f"{other.value}_{self.kind}")


class SiteKind(StrEnum):
    JOINT = "joint"
    MUSCLE = "muscle"
    OTHER = "other"


class BleedSite(StrEnum):
    """Where a bleed is: joints, muscles (including both iliopsoas) and other sites.

    >>> BleedSite.RIGHT_ILIOPSOAS.kind
    <SiteKind.MUSCLE: 'muscle'>
    >>> BleedSite("left_ankle").index_joint
    <IndexJoint.LEFT_ANKLE: 'left_ankle'>
    """

    LEFT_SHOULDER = "left_shoulder"
    RIGHT_SHOULDER = "right_shoulder"
    LEFT_ELBOW = "left_elbow"
    RIGHT_ELBOW = "right_elbow"
    LEFT_WRIST = "left_wrist"
    RIGHT_WRIST = "right_wrist"
    LEFT_HIP = "left_hip"
    RIGHT_HIP = "right_hip"
    LEFT_KNEE = "left_knee"
    RIGHT_KNEE = "right_knee"
    LEFT_ANKLE = "left_ankle"
    RIGHT_ANKLE = "right_ankle"
    LEFT_ILIOPSOAS = "left_iliopsoas"
    RIGHT_ILIOPSOAS = "right_iliopsoas"
    LEFT_FOREARM = "left_forearm"
    RIGHT_FOREARM = "right_forearm"
    LEFT_UPPER_ARM = "left_upper_arm"
    RIGHT_UPPER_ARM = "right_upper_arm"
    LEFT_THIGH = "left_thigh"
    RIGHT_THIGH = "right_thigh"
    LEFT_CALF = "left_calf"
    RIGHT_CALF = "right_calf"
    LEFT_GLUTEAL = "left_gluteal"
    RIGHT_GLUTEAL = "right_gluteal"
    HEAD = "head"
    NECK = "neck"
    THROAT = "throat"
    ABDOMEN = "abdomen"
    MOUTH = "mouth"
    NOSE = "nose"
    SKIN = "skin"
    OTHER = "other"

    @property
    def kind(self) -> SiteKind:
        if self.value.endswith(_JOINT_SUFFIXES):
            return SiteKind.JOINT
        if self.value.endswith(_MUSCLE_SUFFIXES):
            return SiteKind.MUSCLE
        return SiteKind.OTHER

    @property
    def is_joint(self) -> bool:
        return self.kind is SiteKind.JOINT

    @property
    def is_iliopsoas(self) -> bool:
        return self.value.endswith("_iliopsoas")

    @property
    def index_joint(self) -> IndexJoint | None:
        """The HJHS/HEAD-US index joint this site is, if it is one."""
        try:
            return IndexJoint(self.value)
        except ValueError:
            return None


_JOINT_SUFFIXES = ("_shoulder", "_elbow", "_wrist", "_hip", "_knee", "_ankle")
_MUSCLE_SUFFIXES = ("_iliopsoas", "_forearm", "_upper_arm", "_thigh", "_calf", "_gluteal")
