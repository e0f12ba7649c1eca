"""The OCOP centers: their records, life-cycle (planned → … → operating), the four spaces, opening
hours, score sheets against the criteria of Plan 276/KH-UBND and recognition."""
